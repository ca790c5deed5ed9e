"""Build the Debian 12 packages `myna-kiosk` and `myna-verifier` (`make deb`) with dpkg-deb from a staged tree.

Each package carries its own Python environment: a venv on Debian's /usr/bin/python3.11 under /opt/<package>/venv
(add-on software, so /opt per the FHS; the lintian tag is overridden with that reason), made at package time
from the project's own sources with only that package's modules and dependencies. The kiosk package holds the
kiosk core, drivers, ui and assets (translations, consent texts, face thresholds, the voice clips built by
packaging/voices, the dlib and MediaPipe models inside their wheels); never the test bench or shared fixtures.
The verifier package holds the verifier and the result schema it shares. The version comes from git:
<pyproject version>+git<commits>.g<hash>[.dirty], so every commit sorts after the one before it.

Bytecode is compiled in postinst and removed in prerm (the service's /opt is read-only: ProtectSystem=strict).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HERE = REPO / "packaging"
PYTHON = "/usr/bin/python3.11"
MAINTAINER = "マイナ受付 project <myna-kiosk@example.org>"
HOMEPAGE = "https://example.org/myna-kiosk"
# Imported only by the verifier (kiosk → verifier is HTTP only); everything else in pyproject is the kiosk's.
VERIFIER_ONLY = {"fastapi", "uvicorn", "httptools", "uvloop", "sqlalchemy", "psycopg", "jsonschema", "jinja2"}
VERIFIER_SHARED = {"cryptography"}
# No Linux wheel on PyPI: built from the sdist, and rebuilt on every package build so that the extension is
# compiled against Debian's python3.11 (a wheel cached from another interpreter carries its RUNPATH).
BUILT_FROM_SOURCE = ("pyscard",)


@dataclass(frozen=True)
class PackageSpec:
    name: str
    modules: tuple[str, ...]  # top-level source folders copied into the package's Python environment
    script: str  # console script (entry point) linked into /usr/bin
    entry: str
    depends: tuple[str, ...]
    recommends: tuple[str, ...]
    description: str
    files: dict[str, str] = field(default_factory=dict)  # packaging/<src> → /<dest> (mode from the source)
    conffiles: tuple[str, ...] = ()
    asset_parts: tuple[str, ...] | None = None  # assets/* kept (None = all)


KIOSK = PackageSpec(
    name="myna-kiosk",
    modules=("kiosk", "drivers", "ui", "assets"),
    script="myna-kiosk",
    entry="kiosk.app.cli:main",
    depends=(
        "libc6 (>= 2.28)", "python3.11 (>= 3.11.2)", "pcscd", "libccid", "cage", "systemd", "libpam-systemd",
        "fontconfig",
        "fonts-noto-cjk | fonts-ipafont-gothic", "fonts-noto-cjk | fonts-nanum", "fonts-dejavu-core",
        "tesseract-ocr-jpn", "tesseract-ocr-eng",
        "libegl1", "libgl1", "libfontconfig1", "libxkbcommon0", "libdbus-1-3", "libglib2.0-0",
        "libwayland-client0", "libwayland-cursor0", "libwayland-egl1", "libpcsclite1",
    ),
    recommends=("sox", "pcsc-tools", "v4l-utils", "systemd-timesyncd | chrony"),
    description="My Number card reception kiosk (マイナ受付)\n"
    " Reads the My Number health-insurance card over PC/SC, matches the\n"
    " patient's face (or takes the PIN), asks the facility's consents and sends\n"
    " a signed result to the verification backend. Runs full screen under the\n"
    " cage Wayland compositor as its own user, restarted by a systemd watchdog.\n"
    " `myna-kiosk doctor` checks reader, cameras, verifier, TLS, clock, fonts.",
    files={
        "systemd/myna-kiosk.service": "lib/systemd/system/myna-kiosk.service",
        "sysusers/myna-kiosk.conf": "usr/lib/sysusers.d/myna-kiosk.conf",
        "udev/70-myna-kiosk.rules": "lib/udev/rules.d/70-myna-kiosk.rules",
        "polkit/50-myna-kiosk-pcscd.rules": "usr/share/polkit-1/rules.d/50-myna-kiosk-pcscd.rules",
        "pam/myna-kiosk": "etc/pam.d/myna-kiosk",
        "config/kiosk.toml": "etc/myna-kiosk/kiosk.toml",
    },
    conffiles=("/etc/myna-kiosk/kiosk.toml", "/etc/pam.d/myna-kiosk"),
)
VERIFIER = PackageSpec(
    name="myna-verifier",
    modules=("verifier", "assets"),
    script="myna-verifier",
    entry="verifier.cli:main",
    depends=("libc6 (>= 2.28)", "python3.11 (>= 3.11.2)", "systemd"),
    recommends=(),
    description="reference verification backend for マイナ受付 kiosks\n"
    " Checks the kiosks' signed reception results (JPKI certificate chain, the\n"
    " card's signature over the challenge, the kiosk's device key, mutual TLS)\n"
    " and answers with the qualification. SQLite by default, PostgreSQL by\n"
    " configuration (/etc/myna-verifier/verifier.env): many kiosks, one verifier.",
    files={
        "systemd/myna-verifier.service": "lib/systemd/system/myna-verifier.service",
        "sysusers/myna-verifier.conf": "usr/lib/sysusers.d/myna-verifier.conf",
        "config/verifier.env": "etc/myna-verifier/verifier.env",
    },
    conffiles=("/etc/myna-verifier/verifier.env",),
    asset_parts=("__init__.py", "schema"),
)
SPECS = {spec.name: spec for spec in (KIOSK, VERIFIER)}


def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result.stdout


def version() -> str:
    """Debian version from git: 0.1.0+git112.g66b0a75 (+ .dirty with uncommitted changes)."""
    base = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    count = run("git", "rev-list", "--count", "HEAD", cwd=REPO).strip()
    described = run("git", "describe", "--always", "--dirty=.dirty", "--abbrev=7", cwd=REPO).strip()
    return f"{base}+git{count}.g{described}"


def _requirement_name(requirement: str) -> str:
    name = requirement.split(";")[0]
    for stop in "<>=![ ~":
        name = name.split(stop)[0]
    return name.strip().lower().replace("_", "-")


def dependencies(spec: PackageSpec, project: dict[str, object]) -> list[str]:
    requirements = list(project["dependencies"])  # type: ignore[call-overload]
    if spec is VERIFIER:
        return [r for r in requirements if _requirement_name(r) in VERIFIER_ONLY | VERIFIER_SHARED]
    return [r for r in requirements if _requirement_name(r) not in VERIFIER_ONLY]


def stage_sources(spec: PackageSpec, work: Path, pyversion: str) -> Path:
    """A source tree with only this package's modules and a pyproject naming only its dependencies."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    src = work / "src"
    shutil.rmtree(src, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")  # the .ts files are the translations read at run time
    for module in spec.modules:
        if module == "assets" and spec.asset_parts is not None:
            for part in spec.asset_parts:
                source = REPO / "assets" / part
                if source.is_dir():
                    shutil.copytree(source, src / "assets" / part, ignore=ignore)
                else:
                    (src / "assets").mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, src / "assets" / part)
        else:
            shutil.copytree(REPO / module, src / module, ignore=ignore)
    requirements = dependencies(spec, pyproject["project"])
    package_data = pyproject["tool"]["setuptools"]["package-data"]["*"]
    (src / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=68,<82"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "{spec.name}"\nversion = "{pyversion}"\nrequires-python = ">=3.11,<3.12"\n'
        f"dependencies = {requirements!r}\n\n[project.scripts]\n{spec.script} = \"{spec.entry}\"\n\n"
        f"[tool.setuptools.packages.find]\ninclude = {[m + '*' for m in spec.modules]!r}\n\n"
        f'[tool.setuptools.package-data]\n"*" = {package_data!r}\n'.replace("'", '"'))
    overrides = pyproject["tool"]["uv"]["override-dependencies"]
    (work / "overrides.txt").write_text("\n".join(overrides) + "\n")
    return src


def build_venv(spec: PackageSpec, root: Path, work: Path, pyversion: str) -> None:
    target = f"/opt/{spec.name}/venv"
    venv = root / target.lstrip("/")
    run(PYTHON, "-m", "venv", "--without-pip", venv)
    src = stage_sources(spec, work, pyversion)
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_COMPILE_BYTECODE": "0"}
    env.pop("VIRTUAL_ENV", None)
    refresh = [arg for name in BUILT_FROM_SOURCE for arg in ("--refresh-package", name)]
    run(uv, "pip", "install", "-q", "--python", venv / "bin" / "python", "--override", work / "overrides.txt",
        "--no-config", "--link-mode", "copy", *refresh, src, cwd=work, env=env)
    staged = str(venv)
    for path in [*(venv / "bin").iterdir(), venv / "pyvenv.cfg"]:  # the staged path → the installed one
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if staged.encode() in data:
                path.write_bytes(data.replace(staged.encode(), target.encode()))
    for junk in [*venv.rglob("__pycache__"), *venv.rglob("direct_url.json")]:
        shutil.rmtree(junk) if junk.is_dir() else junk.unlink()
    for name in ("pip", "pip3", "pip3.11"):
        (venv / "bin" / name).unlink(missing_ok=True)
    _strip_elf(venv)


def _strip_elf(venv: Path) -> None:
    """Shared objects to mode 0644 (wheels often ship them 0755). They are NOT stripped: auditwheel rewrote
    them with patchelf, and strip then corrupts them (NumPy's bundled OpenBLAS stopped loading, "ELF load
    command address/offset not page-aligned", caught by the install test); lintian's tag is overridden."""
    for path in venv.rglob("*"):
        if path.is_file() and not path.is_symlink() and ".so" in path.name:
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    path.chmod(0o644)


def maintainer_script(spec: PackageSpec, kind: str) -> str:
    return (HERE / "debian" / f"{spec.name}.{kind}").read_text()


def stage(spec: PackageSpec, out: Path, deb_version: str) -> Path:
    work = out / "work" / spec.name
    root = work / "root"
    shutil.rmtree(work, ignore_errors=True)
    root.mkdir(parents=True)
    pyversion = deb_version.replace(".dirty", "")  # a PEP 440 local version: 0.1.0+git112.g66b0a75
    build_venv(spec, root, work, pyversion)
    (root / "usr" / "bin").mkdir(parents=True)
    os.symlink(f"/opt/{spec.name}/venv/bin/{spec.script}", root / "usr" / "bin" / spec.script)
    for source, dest in spec.files.items():
        target = root / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(HERE / source, target)
    doc = root / "usr" / "share" / "doc" / spec.name
    doc.mkdir(parents=True)
    shutil.copy2(HERE / "debian" / "copyright", doc / "copyright")
    changelog = (f"{spec.name} ({deb_version}) unstable; urgency=medium\n\n  * Built from git "
                 f"{deb_version.rpartition('.g')[2]}.\n\n -- {MAINTAINER}  "
                 f"{time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime(_commit_time()))}\n")
    with gzip.GzipFile(doc / "changelog.gz", "wb", mtime=0, compresslevel=9) as handle:  # a native package
        handle.write(changelog.encode())
    overrides = HERE / "debian" / f"{spec.name}.lintian-overrides"
    if overrides.exists():
        target = root / "usr" / "share" / "lintian" / "overrides" / spec.name
        target.parent.mkdir(parents=True)
        shutil.copy2(overrides, target)
    _normalise_modes(root)
    control = root / "DEBIAN"
    control.mkdir()
    size_kib = sum(p.lstat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    (control / "control").write_text(
        f"Package: {spec.name}\nVersion: {deb_version}\nArchitecture: amd64\nMaintainer: {MAINTAINER}\n"
        f"Installed-Size: {size_kib}\nDepends: {', '.join(spec.depends)}\n"
        + (f"Recommends: {', '.join(spec.recommends)}\n" if spec.recommends else "")
        + f"Section: misc\nPriority: optional\nHomepage: {HOMEPAGE}\nDescription: {spec.description}\n")
    (control / "conffiles").write_text("".join(f"{c}\n" for c in spec.conffiles))
    for kind in ("postinst", "prerm", "postrm"):
        script = control / kind
        script.write_text(maintainer_script(spec, kind))
        script.chmod(0o755)
    sums = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and "DEBIAN" not in p.parts):
        rel = path.relative_to(root).as_posix()
        if "/" + rel not in spec.conffiles:
            sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {rel}\n")  # noqa: S324 - dpkg's format
    (control / "md5sums").write_text("".join(sums))
    for name in ("control", "conffiles", "md5sums"):
        (control / name).chmod(0o644)
    return root


def _commit_time() -> int:
    return int(run("git", "log", "-1", "--format=%ct", cwd=REPO).strip())


def _normalise_modes(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        elif ".so" not in path.name or not path.name.endswith((".so", *(f".so.{n}" for n in range(10)))):
            path.chmod(0o755 if path.stat().st_mode & 0o111 else 0o644)


def build(spec: PackageSpec, out: Path, deb_version: str, compression: str = "xz") -> Path:
    started = time.monotonic()
    root = stage(spec, out, deb_version)
    deb = out / f"{spec.name}_{deb_version}_amd64.deb"
    for old in out.glob(f"{spec.name}_*_amd64.deb"):  # one version per package in --out (CI globs it)
        old.unlink()
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(_commit_time())}
    run("dpkg-deb", "--root-owner-group", f"-Z{compression}", "-z6" if compression == "xz" else "-z1", "--build",
        root, deb, env=env)
    print(f"{deb.name}: {deb.stat().st_size / 2**20:.1f} MiB (installed "
          f"{int((root / 'DEBIAN' / 'control').read_text().split('Installed-Size: ')[1].split()[0]) / 1024:.0f} MiB)"
          f", built in {time.monotonic() - started:.0f} s")
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "dist")
    parser.add_argument("--only", choices=sorted(SPECS), action="append")
    parser.add_argument("--compression", choices=("xz", "gzip"), default="xz",
                        help="xz: smallest (minutes for the kiosk); gzip: fast, for test builds")
    args = parser.parse_args(argv)
    if not Path(PYTHON).exists():
        raise SystemExit(f"{PYTHON} missing: the packages are built for Debian 12's python3.11")
    if "myna-kiosk" in (args.only or SPECS) and not any((REPO / "assets" / "voice").glob("ja/*.wav")):
        print("building the voice clips first (packaging/voices/build_voices.py)", file=sys.stderr)
        run(sys.executable, HERE / "voices" / "build_voices.py", cwd=REPO)
    args.out.mkdir(parents=True, exist_ok=True)
    deb_version = version()
    for name in args.only or SPECS:
        build(SPECS[name], args.out, deb_version, args.compression)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
