#!/usr/bin/env bash
# Sets up everything the build (and, with --test, the tests) need on a fresh Debian machine:
# Debian packages (fonts, pango for the PDF; chromium and poppler for the tests) and a
# virtual environment with the pinned Python packages. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
requirements=requirements.txt
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium poppler-utils)
  requirements=requirements-test.txt
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
