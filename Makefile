# The two commands a person needs: `make demo` and `make test`. Both set the machine up first.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.stamp

# Debian packages: PC/SC + vpcd + OpenSC (card), Xvfb + xcb libraries + Japanese fonts (Qt),
# Tesseract with Japanese data (card-face OCR), PostgreSQL and Chromium (verifier tests); cage, lintian,
# mmdebstrap and systemd-nspawn for the Debian packages and their install test; python3.11-dev to build
# pyscard against Debian's python3.11 for the package.
APT_PACKAGES := pcscd libpcsclite-dev vsmartcard-vpcd opensc pcsc-tools \
	xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libxcb-image0 \
	libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-shm0 libxcb-sync1 \
	libxcb-xfixes0 libxcb-util1 libx11-xcb1 libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 \
	fonts-ipafont-gothic tesseract-ocr tesseract-ocr-jpn \
	postgresql chromium chromium-driver espeak-ng sox \
	open-jtalk open-jtalk-mecab-naist-jdic fonts-nanum \
	cage lintian mmdebstrap systemd-container python3.11-dev

.PHONY: setup apt venv test demo lint clean voices i18n deb deb-check deb-install-test

setup: apt venv voices

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

# Voice guidance WAVs (assets/voice/, not in git): Open JTalk for Japanese, espeak-ng for en/zh/ko.
voices: venv
	@$(PY) packaging/voices/build_voices.py || echo "voices: not built; the kiosk runs silent"

# Translations: refresh the .ts sources from the code, then build the .qm files the kiosk loads.
i18n: venv
	@for l in ja en zh ko; do $(VENV)/bin/pyside6-lupdate kiosk/screen_texts.py kiosk/screens.py \
	  -target-language $$l -no-obsolete -locations none -ts assets/i18n/kiosk_$$l.ts >/dev/null; \
	  $(VENV)/bin/pyside6-lrelease assets/i18n/kiosk_$$l.ts -qm assets/i18n/kiosk_$$l.qm >/dev/null; done

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy kiosk drivers ui verifier testbench
	$(VENV)/bin/lint-imports

test: lint
	tests/isolated $(VENV)/bin/python -m pytest

demo: setup
	$(VENV)/bin/myna-testbench demo

# Debian packages myna-kiosk and myna-verifier into dist/ (each with its own Python environment under /opt).
deb: setup
	$(PY) packaging/build_deb.py --out dist

# What CI runs on the packages: lintian (no errors) and systemd-analyze verify on the installed units.
deb-check: deb
	lintian --fail-on error dist/myna-kiosk_*.deb dist/myna-verifier_*.deb
	tests/isolated $(PY) -m pytest tests/packaging -q

# Both packages in a fresh Debian 12 root (mmdebstrap + systemd-nspawn, as root): doctor, a headless
# reception, the watchdog restart under a booted systemd. About 4 minutes here, most of it apt downloads.
deb-install-test: deb
	$(PY) packaging/install_test.py --debs dist --json dist/install-test.json

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
