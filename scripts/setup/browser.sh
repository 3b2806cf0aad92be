#!/usr/bin/env bash
# Install what the browser end-to-end test (`cargo test -p annuaire --test e2e`, driving
# e2e/run.mjs) needs and a fresh machine lacks: Debian's Chromium and ChromeDriver, and the
# pinned npm packages of e2e/ (playwright-core, axe-core). Idempotent: a no-op (well under a
# second) when everything is already there.
#
#   scripts/setup/browser.sh
#
# Playwright's own browser download (`npx playwright install`) is not used: the tests drive
# /usr/bin/chromium.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
e2e="$root/e2e"

as_root() {
  if [[ "$(id -u)" == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "droits root requis pour : $*" >&2
    exit 1
  fi
}

if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  echo "chromium déjà installé ($(/usr/bin/chromium --version 2>/dev/null | head -n1))"
else
  echo "installation de chromium et chromium-driver (apt)…"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have empty package lists: update only when the install cannot find them.
  if ! as_root apt-get install -y -qq chromium chromium-driver >/dev/null; then
    as_root apt-get update -qq
    as_root apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  /usr/bin/chromium --version 2>/dev/null | head -n1
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "npm est requis (Node.js 20 ou plus) pour e2e/" >&2
  exit 1
fi
# npm ci when node_modules is missing or older than the lock file (npm ci rewrites it whole).
if [[ -d "$e2e/node_modules/playwright-core" && -f "$e2e/node_modules/axe-core/axe.min.js" \
  && ! "$e2e/package-lock.json" -nt "$e2e/node_modules" ]]; then
  echo "e2e/node_modules à jour"
else
  echo "npm ci dans e2e/…"
  (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$e2e/node_modules"
fi
