#!/usr/bin/env bash
# Developer check, not part of the test run: does tests/outside/myclinic_face.mjs decide like the original?
# Runs hangilc/myclinic-ts's own face-XML code, unchanged, from a checkout you provide (it is not on a package
# registry and is never copied into this repository), and the re-statement, over the same files, and prints
# how many verdicts (accepted or refused) and patient records agree.
#   usage: tests/outside/original/compare.sh /path/to/myclinic-ts FILE.xml...
set -euo pipefail
src=$(cd "$1" && pwd); shift
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
(cd "$src" && tar cf - packages/onshi-result packages/model packages/util packages/frontend/src/lib) | tar xf - -C "$work/src"
echo 'export default {};' > "$work/src/packages/frontend/src/lib/api.ts"  # onshi-hoken imports it; unused here
cp "$here/run_original.ts" "$work/"
cd "$work"
echo '{"name":"compare","private":true}' > package.json
npm install --silent --no-audit --no-fund esbuild@0.24 fast-xml-parser@4.5.7 >/dev/null
P=./src/packages
node_modules/.bin/esbuild run_original.ts --bundle --platform=node --format=cjs --outfile=original.cjs \
  --log-level=warning --alias:onshi-result/ResultItem=$P/onshi-result/ResultItem.ts \
  --alias:onshi-result=$P/onshi-result/result.ts --alias:myclinic-model=$P/model/model.ts \
  --alias:myclinic-util=$P/util/index.ts --alias:@/lib/idiv=$P/frontend/src/lib/idiv.ts
OUT="$work/original.json" node original.cjs "$@" >/dev/null 2>&1
cp "$here/../myclinic_face.mjs" .
node myclinic_face.mjs "$work/restated.json" "$@"
node -e '
const a = require(process.argv[1]), b = require(process.argv[2]);
const byFile = Object.fromEntries(b.map((r) => [r.file, r]));
let agree = 0;
for (const r of a) {
  const s = byFile[r.file];
  const same = r.ok === s.consumerOk && JSON.stringify(r.patient) === JSON.stringify(s.patient);
  if (same) agree++; else console.log("differs:", r.file, r.ok, s.consumerOk, r.error ?? "", s.error ?? "");
}
console.log(`verdict and patient record agree on ${agree}/${a.length} files; original accepts ${a.filter((r) => r.ok).length}`);
' "$work/original.json" "$work/restated.json"
