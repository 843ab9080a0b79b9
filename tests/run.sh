#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine, then runs them.
# Used by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium libreoffice-impress libreoffice-writer poppler-utils fonts-crosextra-carlito fonts-open-sans fonts-dejavu-core)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python3 -m pip install -q -e ".[test]"
npm ci --no-audit --no-fund --loglevel=error

python3 -m pytest "$@"
