"""The checks `myna-kiosk doctor` runs, in the order an installer fixes things: config, user, pcscd, readers,
cameras, verifier (reachable, mutual TLS, clock), disk, fonts, voices, outbox.

The verifier is reached with the standard library (http.client + ssl) rather than the kiosk's requests
adapter, so that each step — TCP, TLS handshake with the client certificate, HTTP — fails on its own line.
"""

from __future__ import annotations

import http.client
import json
import os
import pwd
import shutil
import socket
import sqlite3
import ssl
import stat
import subprocess
import sys
import time
from email.utils import parsedate_to_datetime
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from kiosk.app.doctor import Check, CheckFn, DoctorContext, Status
from kiosk.config import LANGUAGES
from kiosk.errors import KioskError

PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")
MIN_FREE_BYTES = 1 << 30  # the outbox is small, but journald and a full disk stop SQLite commits
SKEW_WARN_S, SKEW_FAIL_S = 2.0, 60.0  # challenges live 120 s at the verifier; reception times must be right
STALE_PENDING_S = 15 * 60
FONT_FIX = "sudo apt install fonts-noto-cjk (ja/zh/ko) fonts-noto-core (en)"


def _pcscd_socket() -> Path:
    return Path(os.environ.get("PCSCLITE_CSOCK_NAME", str(PCSCD_SOCKET)))


def check_config(context: DoctorContext) -> list[Check]:
    from kiosk.app.config_cmds import check_file

    config, problems = check_file(context.config_path, strict=True)
    fix = f"myna-kiosk config check {context.config_path}"
    if config is None:
        first = problems[0].render(context.config_path) if problems else "invalid"
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        return [Check("config", Status.FAIL, first + more, fix)]
    return [Check("config", Status.OK, f"{context.config_path} valid, kiosk {config.devices.kiosk_id}")]


def check_user(context: DoctorContext) -> list[Check]:
    try:
        user = pwd.getpwnam(context.kiosk_user)
    except KeyError:
        return [Check("user", Status.FAIL, f"no system user {context.kiosk_user}",
                      "reinstall the myna-kiosk package (its postinst creates the user)")]
    import grp

    groups = {g.gr_name for g in grp.getgrall() if context.kiosk_user in g.gr_mem}
    groups.add(grp.getgrgid(user.pw_gid).gr_name)
    missing = sorted({"video", "audio", "input", "render"} - groups)
    data_dir = Path(context.config.devices.data_dir)
    problems = []
    if missing:
        problems.append(f"not in group(s) {', '.join(missing)}")
    if data_dir.exists() and data_dir.stat().st_uid != user.pw_uid:
        problems.append(f"{data_dir} not owned by {context.kiosk_user}")
    key = context.config.devices.client_key
    if key and Path(key).exists() and Path(key).stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        problems.append(f"{key} readable by others")
    if problems:
        return [Check("user", Status.FAIL, f"{context.kiosk_user}: " + "; ".join(problems),
                      f"sudo usermod -aG video,audio,input,render {context.kiosk_user}; "
                      f"sudo chown -R {context.kiosk_user}: {data_dir}; sudo chmod 600 <client_key>")]
    return [Check("user", Status.OK, f"{context.kiosk_user} (uid {user.pw_uid}) in {', '.join(sorted(groups))}")]


def check_pcscd(context: DoctorContext) -> list[Check]:
    path = _pcscd_socket()
    fix = "sudo systemctl enable --now pcscd.socket"
    if not path.exists():
        return [Check("pcscd", Status.FAIL, f"not running ({path} missing)", fix)]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(str(path))
    except OSError as exc:
        return [Check("pcscd", Status.FAIL, f"{path} refuses connections ({exc.strerror})",
                      f"{fix}; sudo systemctl restart pcscd")]
    mode = stat.S_IMODE(path.stat().st_mode)
    detail = f"running, socket {path} mode {mode:04o}"
    as_user = _as_kiosk_user(context, "readers")
    if as_user is None:
        why = "run as root" if os.geteuid() != 0 else "no such user here"
        return [Check("pcscd", Status.OK, detail + f" (access as {context.kiosk_user} not checked: {why})")]
    if as_user.get("status") != "ok":
        return [Check("pcscd", Status.FAIL, f"{detail}, but {context.kiosk_user} cannot use it: "
                      f"{as_user.get('detail', '?')}",
                      "install /usr/share/polkit-1/rules.d/50-myna-kiosk-pcscd.rules (myna-kiosk package); "
                      "sudo systemctl restart pcscd")]
    return [Check("pcscd", Status.OK, f"{detail}, reachable by {context.kiosk_user}")]


def _as_kiosk_user(context: DoctorContext, check: str) -> dict[str, str] | None:
    """Run one check again as the kiosk user (root only; None when that is not possible or not needed)."""
    if os.geteuid() != 0 or not shutil.which("runuser"):
        return None
    try:
        pwd.getpwnam(context.kiosk_user)
    except KeyError:
        return None
    command = ["runuser", "-u", context.kiosk_user, "--", sys.executable, "-m", "kiosk", "doctor", "--json",
               "--only", check, "--config", str(context.config_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "HOME": "/"}, cwd="/")
    try:
        checks = json.loads(result.stdout)["checks"]
    except (ValueError, KeyError):
        return {"status": "fail", "detail": (result.stderr.strip().splitlines() or ["no output"])[-1]}
    return {"status": "ok" if all(c["status"] != "fail" for c in checks) else "fail",
            "detail": "; ".join(c["detail"] for c in checks)}


def check_readers(context: DoctorContext) -> list[Check]:
    from drivers.card.pcsc import PcscConnection, card_present, list_readers

    try:
        readers = list_readers()
    except KioskError as exc:
        return [Check("readers", Status.FAIL, exc.detail, "see the pcscd line; sudo systemctl restart pcscd")]
    if not readers:
        return [Check("readers", Status.FAIL, "pcscd sees no reader",
                      "plug the reader in (USB); `pcsc_scan` must list it; CCID readers need libccid")]
    wanted = context.config.devices.reader
    lines = []
    for reader in readers:
        atr = "no card"
        if card_present(reader):
            try:
                with PcscConnection(reader) as connection:
                    atr = "card ATR " + connection.atr.hex(" ").upper()
            except KioskError as exc:
                atr = f"card present, unreadable ({exc.code})"
        chosen = " [used]" if (reader.startswith(wanted) if wanted else reader == readers[0]) else ""
        lines.append(Check("reader", Status.OK, f"{reader}{chosen}: {atr}"))
    if wanted and not any(reader.startswith(wanted) for reader in readers):
        lines.append(Check("reader", Status.FAIL, f"devices.reader {wanted!r} matches none of the readers",
                           "set [devices] reader to the beginning of a name above"))
    return lines


def check_cameras(context: DoctorContext) -> list[Check]:
    from drivers.camera.probe import probe_camera

    devices = context.config.devices
    named = [("camera", devices.camera)]
    if devices.card_face_camera and devices.card_face_camera != devices.camera:
        named.append(("card-face cam", devices.card_face_camera))
    lines = []
    for name, spec in named:
        is_file = not spec.strip().isdigit() and not spec.startswith("/dev/")
        try:
            probe = probe_camera(spec, context.camera_seconds)
        except KioskError as exc:
            lines.append(Check(name, Status.FAIL, exc.detail,
                               "ls -l /dev/v4l/by-id/ and set the path in the config; the kiosk user needs "
                               "group video"))
            continue
        exposure = "auto" if probe.exposure is None else f"{probe.exposure:g}"
        detail = f"{spec}: {probe.width}×{probe.height} at {probe.fps:.1f} fps, exposure {exposure}"
        if is_file:
            lines.append(Check(name, Status.WARN, f"{detail} — a video file, not a camera (desk test only)",
                               "set it to the camera's /dev/v4l/by-id/…-video-index0 path"))
        else:
            lines.append(Check(name, Status.OK if probe.fps >= 10 else Status.WARN, detail,
                               "more light, or a USB port of its own (below 10 fps)"))
    return lines


def _verifier_request(context: DoctorContext) -> tuple[http.client.HTTPResponse, float, float]:
    """GET /v1/health with the kiosk's TLS settings: (response, local time before, after)."""
    devices = context.config.devices
    url = urlsplit(devices.backend_url)
    host, port = url.hostname or "", url.port or (443 if url.scheme == "https" else 80)
    connection: http.client.HTTPConnection
    if url.scheme == "https":
        tls = ssl.create_default_context(cafile=devices.backend_ca or None)
        if devices.client_cert:
            tls.load_cert_chain(devices.client_cert, devices.client_key or None)
        connection = http.client.HTTPSConnection(host, port, timeout=5, context=tls)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=5)
    before = time.time()
    connection.request("GET", url.path.rstrip("/") + "/v1/health")
    response = connection.getresponse()
    response.read()
    return response, before, time.time()


def check_verifier(context: DoctorContext) -> list[Check]:
    devices = context.config.devices
    url = urlsplit(devices.backend_url)
    host, port = url.hostname or "", url.port or (443 if url.scheme == "https" else 80)
    try:
        started = time.perf_counter()
        socket.create_connection((host, port), timeout=5).close()
        tcp_ms = (time.perf_counter() - started) * 1000
    except OSError as exc:
        return [Check("verifier", Status.FAIL, f"{host}:{port} unreachable ({exc.strerror or exc})",
                      "check backend_url, the network and that myna-verifier runs (systemctl status myna-verifier)")]
    lines = [Check("verifier", Status.OK, f"{host}:{port} reachable ({tcp_ms:.0f} ms)")]
    try:
        response, before, after = _verifier_request(context)
    except ssl.SSLCertVerificationError as exc:
        return [*lines, Check("mtls", Status.FAIL, f"verifier certificate not trusted: {exc.verify_message}",
                              "set devices.backend_ca to the verifier's CA bundle")]
    except (ssl.SSLError, ConnectionResetError, BrokenPipeError) as exc:
        return [*lines, Check("mtls", Status.FAIL, f"TLS handshake refused: {exc}",
                              "the kiosk certificate is missing, expired or not from the verifier's client CA: "
                              "re-enrol this kiosk")]
    except (OSError, http.client.HTTPException) as exc:
        return [*lines, Check("mtls", Status.FAIL, f"no HTTP answer: {type(exc).__name__}: {exc}",
                              "is backend_url the verifier (https://host:port)?")]
    if url.scheme != "https":
        lines.append(Check("mtls", Status.WARN, "plain http: no TLS, no client certificate",
                           "use https:// with client_cert/client_key (mutual TLS) outside a desk test"))
    elif not devices.client_cert:
        lines.append(Check("mtls", Status.WARN, "TLS without a client certificate", "set client_cert/client_key"))
    else:
        lines.append(Check("mtls", Status.OK, f"handshake with client certificate {Path(devices.client_cert).name}"))
    if response.status != 200:
        lines.append(Check("health", Status.FAIL, f"/v1/health answered HTTP {response.status}",
                           "the verifier's database is down: journalctl -u myna-verifier"))
    lines.append(_clock(response.getheader("Date"), before, after))
    return lines


def _clock(date: str | None, before: float, after: float) -> Check:
    if not date:
        return Check("clock", Status.WARN, "the verifier sent no Date header", "")
    server = parsedate_to_datetime(date).timestamp()
    # The Date header is whole seconds, truncated, and servers (uvicorn) refresh it once a second: the
    # verifier's clock read somewhere in [server, server + 2) while the request was in flight.
    skew = (before + after) / 2 - (server + 1.0)
    detail = f"skew {skew:+.1f} s against the verifier (±{(after - before) / 2 + 1.0:.1f} s)"
    if abs(skew) > SKEW_FAIL_S:
        return Check("clock", Status.FAIL, detail, "enable time sync: sudo timedatectl set-ntp true")
    status = Status.WARN if abs(skew) > SKEW_WARN_S else Status.OK
    return Check("clock", status, detail, "check systemd-timesyncd / chrony on kiosk and verifier")


def check_disk(context: DoctorContext) -> list[Check]:
    path = Path(context.config.devices.data_dir)
    while not path.exists():
        path = path.parent
    usage = shutil.disk_usage(path)
    detail = f"{usage.free / 2**30:.1f} GiB free of {usage.total / 2**30:.1f} GiB at {path}"
    if usage.free < MIN_FREE_BYTES:
        return [Check("disk", Status.FAIL, detail, "free space: sudo journalctl --vacuum-size=200M; apt clean")]
    return [Check("disk", Status.OK, detail)]


def check_fonts(context: DoctorContext) -> list[Check]:
    """The face the window will set each language in (ui.theme's order), as fontconfig knows it: a language
    whose faces are all missing is drawn in a fallback face — boxes, or Japanese glyph forms for Chinese."""
    from ui.theme import FONT_FAMILIES

    if not shutil.which("fc-list"):
        return [Check("fonts", Status.FAIL, "fc-list missing", "sudo apt install fontconfig")]
    found, missing = [], []
    for lang in LANGUAGES:
        out = subprocess.run(["fc-list", f":lang={lang}", "family"], capture_output=True, text=True,
                             timeout=30).stdout
        families = {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}
        chosen = next((name for name in FONT_FAMILIES[lang] if name in families), None)
        if chosen is None:
            missing.append(f"{lang} (none of {', '.join(FONT_FAMILIES[lang])})")
        else:
            found.append(f"{lang} {chosen}")
    if missing:
        return [Check("fonts", Status.FAIL, f"no face for {'; '.join(missing)}", FONT_FIX)]
    return [Check("fonts", Status.OK, "; ".join(found))]


def check_voices(context: DoctorContext) -> list[Check]:
    folder = Path(str(resources.files("assets") / "voice"))
    counts = {lang: len(list((folder / lang).glob("*.wav"))) for lang in LANGUAGES}
    player = shutil.which("play") or shutil.which("aplay")
    detail = ", ".join(f"{lang} {n}" for lang, n in counts.items()) + f" clips; player {player or 'none'}"
    if not counts["ja"]:
        return [Check("voices", Status.FAIL, f"no Japanese voice clips in {folder}",
                      "reinstall the package (voices are built into it); the kiosk is silent")]
    if not player or not all(counts.values()):
        return [Check("voices", Status.WARN, detail, "sudo apt install sox (or alsa-utils); missing "
                      "languages fall back to Japanese")]
    return [Check("voices", Status.OK, detail)]


def check_outbox(context: DoctorContext) -> list[Check]:
    from kiosk.app.metrics import read_outbox_counts

    path = Path(context.config.devices.data_dir) / "outbox.sqlite3"
    try:
        counts = read_outbox_counts(path)
    except sqlite3.Error as exc:
        return [Check("outbox", Status.FAIL, f"{path} unreadable: {exc}",
                      f"check {path} ownership; do not delete it (undelivered results)")]
    if counts is None:
        return [Check("outbox", Status.OK, f"empty (no {path} yet)")]
    age = counts.oldest_pending_age_s or 0.0
    detail = f"{counts.pending} pending" + (f" (oldest {age / 60:.0f} min)" if counts.pending else "") + \
        f", {counts.quarantined} quarantined, {counts.delivered} delivered"
    lines = [Check("outbox", Status.WARN if age > STALE_PENDING_S else Status.OK, detail,
                   "results are waiting for the verifier: see the verifier line")]
    if counts.quarantined:
        lines.append(Check("quarantine", Status.WARN, f"{counts.quarantined} result(s) refused by the verifier",
                           "staff: see the verifier's staff page and re-do those receptions at the desk"))
    return lines


CHECKS: list[tuple[str, CheckFn]] = [
    ("config", check_config),
    ("user", check_user),
    ("pcscd", check_pcscd),
    ("readers", check_readers),
    ("cameras", check_cameras),
    ("verifier", check_verifier),
    ("disk", check_disk),
    ("fonts", check_fonts),
    ("voices", check_voices),
    ("outbox", check_outbox),
]
