# The two commands a person needs: `make demo` and `make test`. Both set the machine up first.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.stamp

# Debian packages: PC/SC + vpcd + OpenSC (card), Xvfb + xcb libraries + CJK fonts (Qt; Noto CJK for zh/ko),
# Tesseract with Japanese data (card-face OCR), PostgreSQL and Chromium (verifier tests), faketime (the delivery
# fault run), Node.js + npm (the outside face-XML consumer the verifier tests run); cage, lintian, mmdebstrap and
# systemd-nspawn for the Debian packages and their install test; python3.11-dev to build pyscard for the package.
APT_PACKAGES := pcscd libpcsclite-dev vsmartcard-vpcd opensc pcsc-tools \
	xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libxcb-image0 \
	libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-shm0 libxcb-sync1 \
	libxcb-xfixes0 libxcb-util1 libx11-xcb1 libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 \
	fonts-ipafont-gothic fonts-noto-cjk tesseract-ocr tesseract-ocr-jpn faketime \
	postgresql chromium chromium-driver espeak-ng sox \
	open-jtalk open-jtalk-mecab-naist-jdic fonts-nanum nodejs \
	cage lintian mmdebstrap systemd-container python3.11-dev

.PHONY: setup apt venv test check demo lint clean voices i18n outside deb deb-check deb-install-test

setup: apt venv voices outside

apt:
	@missing=$$(dpkg-query -W -f='$${Status} $${Package}\n' $(APT_PACKAGES) 2>/dev/null \
	  | awk '$$3=="installed"{print $$4}' | sort | comm -13 - <(tr ' ' '\n' <<<"$(APT_PACKAGES)" | grep . | sort)); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml
	@test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check uv
	@VIRTUAL_ENV=$(VENV) $(VENV)/bin/uv pip install -q -p $(PY) -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

# npm packages of the outside-parser tests (tests/outside), into .cache/outside; tests run without network.
# Debian's nodejs comes without npm (a nodejs that bundles npm conflicts with Debian's npm: only if missing).
OUTSIDE := .cache/outside
$(OUTSIDE)/.stamp: tests/outside/package.json tests/outside/package-lock.json
	@command -v npm >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null; }
	@mkdir -p $(OUTSIDE) && cp tests/outside/package.json tests/outside/package-lock.json $(OUTSIDE)/
	@cd $(OUTSIDE) && npm ci --no-audit --no-fund --silent
	@touch $@

outside: apt $(OUTSIDE)/.stamp

# Voice guidance WAVs (assets/voice/, not in git): Open JTalk for Japanese, espeak-ng for en/zh/ko (docs/voice.md).
voices: venv
	@$(PY) packaging/voices/build_voices.py || echo "voices: not built; the kiosk runs silent"

# Translations: refresh the .ts sources from the text table (kiosk/translations.py reads them at run time).
i18n: venv
	@for l in ja en zh ko; do $(VENV)/bin/pyside6-lupdate kiosk/screen_texts.py kiosk/screens.py \
	  -target-language $$l -no-obsolete -locations none -ts assets/i18n/kiosk_$$l.ts >/dev/null; done

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy kiosk drivers ui verifier testbench
	$(VENV)/bin/lint-imports

# The whole suite: every tier (vpcd, models, server, slow) — what CI runs.
test: lint
	tests/isolated $(VENV)/bin/python -m pytest

# The fast tier for a developer: unit + ui + the in-process card, no pcscd, models, servers or slow tests.
check: lint
	tests/isolated $(VENV)/bin/python -m pytest -q -m "not (vpcd or models or server or slow)"

demo: setup
	$(VENV)/bin/myna-testbench demo

# Debian packages myna-kiosk and myna-verifier into dist/ (each with its own Python environment under /opt).
# xz for a release; gzip for a quick test build (CI)
DEB_COMPRESSION ?= xz
deb: setup
	$(PY) packaging/build_deb.py --out $(CURDIR)/dist --compression $(DEB_COMPRESSION)

# What CI runs on the packages: lintian, no errors (the units are checked by systemd-analyze in tests/packaging).
deb-check: deb
	lintian --fail-on error dist/myna-kiosk_*.deb dist/myna-verifier_*.deb

# Both packages in a fresh Debian 12 root (mmdebstrap + systemd-nspawn, as root): doctor, a headless
# reception, the watchdog restart under a booted systemd. About 4 minutes here, most of it apt downloads.
deb-install-test: deb
	$(PY) packaging/install_test.py --debs dist --json dist/install-test.json

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
