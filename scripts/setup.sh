#!/usr/bin/env bash
# Sets up everything the build (and, with --test, the tests) need on a fresh Debian machine:
# Debian packages (fonts, pango and poppler for the PDF, Node.js for the service worker; for the tests chromium, poppler,
# nginx, LibreOffice, Java for the Nu HTML checker), a virtual environment with the pinned Python packages,
# the build's pinned npm tools (tools/: workbox-build), for the tests the pinned site checkers from npm
# (tests/tools: axe-core, vnu-jar), and with --desk (and --test) the case desk's browser helpers from npm
# (tools/desk: htmx, SortableJS). make bench adds Lighthouse (benchmarks/tools).
# Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils)  # poppler-utils: pdftotext checks every PDF built (handbook/pdf/gate.py)
# Node.js for the build: workbox-build writes the offline site's service worker (handbook/offline/).
# npm from Debian only where there is none: a machine's own Node.js (NodeSource) brings npm and conflicts with it
command -v npm >/dev/null || packages+=(nodejs npm)
requirements=requirements.txt
desk=""
[ "${1:-}" = "--test" ] || [ "${1:-}" = "--desk" ] && desk=1  # the case desk's browser helpers (tools/desk) need npm
if [ "${1:-}" = "--test" ]; then
  # LibreOffice: the Word tests re-save .docx files with it; the decks are drawn and checked (tests/test_classroom_slides.py);
  # nginx, openssl: the publishing test (tests/browser/test_publish_nginx.py)
  packages+=(chromium poppler-utils default-jre-headless libreoffice-writer-nogui libreoffice-impress-nogui nginx openssl)
  requirements=requirements-test.txt
fi
if [ -n "$desk" ]; then
  command -v npm >/dev/null || [[ " ${packages[*]} " == *" npm "* ]] || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(cat requirements.txt "$requirements" | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/pip install -q --disable-pip-version-check -r "$requirements"
  touch "$stamp"
fi

# the build's npm tools (tools/package.json: workbox-build), pinned by its lock
stamp=tools/node_modules/.installed-$(sha256sum tools/package-lock.json | cut -c1-16)
if [ ! -f "$stamp" ]; then
  npm ci --prefix tools --ignore-scripts --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

# the handbook's own modules compiled once: where PYTHONDONTWRITEBYTECODE is set (as on the machine this was measured
# on), Python never keeps what it compiles, and every command compiled them all again (`build.py check`: 0.38 s of
# CPU without, 0.29 s with); a module edited later is compiled again as it is imported, as always
.venv/bin/python -m compileall -q handbook

if [ "${1:-}" = "--test" ]; then
  tools=tests/tools
  stamp=$tools/node_modules/.installed-$(sha256sum "$tools/package-lock.json" | cut -c1-16)
  if [ ! -f "$stamp" ]; then
    # --ignore-scripts: vnu-jar's install script would download a Java runtime; Debian's is used instead
    npm ci --prefix "$tools" --ignore-scripts --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
fi

if [ -n "$desk" ]; then
  # the case desk (python build.py desk) serves htmx and SortableJS from its own address: fetched from npm here
  tools=tools/desk
  stamp=$tools/node_modules/.installed-$(sha256sum "$tools/package-lock.json" | cut -c1-16)
  if [ ! -f "$stamp" ]; then
    npm ci --prefix "$tools" --ignore-scripts --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
fi
