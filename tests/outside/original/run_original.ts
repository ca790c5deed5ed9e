// Runs myclinic-ts's own code, unchanged, over face XML files: parseFaceXml, then onshiToPatient and
// createHokenFromOnshiResult, then every getter of the parsed result (the getters throw on bad codes).
import { readFileSync } from "fs";
import { parseFaceXml } from "./src/packages/frontend/src/lib/onshi-face";
import { onshiToPatient } from "./src/packages/frontend/src/lib/onshi-patient";
import { createHokenFromOnshiResult } from "./src/packages/frontend/src/lib/onshi-hoken";

function touch(o: any, seen = new Set()): void {
  if (o === null || typeof o !== "object" || seen.has(o)) return;
  seen.add(o);
  let p = Object.getPrototypeOf(o);
  while (p && p !== Object.prototype) {
    for (const k of Object.getOwnPropertyNames(p)) {
      const d = Object.getOwnPropertyDescriptor(p, k);
      if (d && d.get) touch((o as any)[k], seen);
    }
    p = Object.getPrototypeOf(p);
  }
  for (const v of Object.values(o)) if (Array.isArray(v)) v.forEach((x) => touch(x, seen));
}

const out: any[] = [];
for (const file of process.argv.slice(2)) {
  const r: any = { file };
  try {
    const res = parseFaceXml(decode(readFileSync(file)));
    touch(res);
    if (res.resultList.length === 1) {
      const p = onshiToPatient(res);
      r.patient = { lastName: p.lastName, firstName: p.firstName, lastNameYomi: p.lastNameYomi, firstNameYomi: p.firstNameYomi, sex: p.sex, birthday: p.birthday };
      const h = createHokenFromOnshiResult(1, res.resultList[0]);
      r.hoken = typeof h === "string" ? { error: h } : { kind: h.constructor.name, ...h };
    }
    r.isValid = res.isValid;
    r.ok = r.hoken?.error === undefined;
  } catch (e: any) {
    r.ok = false; r.error = String(e?.message ?? e);
  }
  out.push(r);
}
require("fs").writeFileSync(process.env.OUT as string, JSON.stringify(out, null, 1));
function decode(bytes: Buffer): string {
  const head = bytes.subarray(0, 100).toString("latin1");
  const m = /encoding="([^"]+)"/.exec(head);
  return new TextDecoder(m ? m[1].toLowerCase() : "utf-8").decode(bytes);
}
