#!/usr/bin/env bash
# Install schemathesis (the property-based OpenAPI client of the conformance test
# `cargo test -p annuaire --test openapi`) and openapi-spec-validator in a private virtualenv,
# target/venv-schemathesis, leaving the system Python alone. Idempotent: a no-op (well under a
# second) when the pinned versions are already there.
#
#   scripts/setup/schemathesis.sh          # install or check
#   ANNUAIRE_VENV=/path scripts/...        # elsewhere (the test reads the same variable)
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5
VALIDATOR_VERSION=0.9.0

root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${ANNUAIRE_VENV:-$root/target/venv-schemathesis}"
stamp="$venv/.annuaire-installed"
want="schemathesis==$SCHEMATHESIS_VERSION openapi-spec-validator==$VALIDATOR_VERSION"

if [[ -x "$venv/bin/schemathesis" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "schemathesis $SCHEMATHESIS_VERSION déjà installé dans $venv"
  exit 0
fi

python=""
for p in python3 python3.13 python3.12 python3.11 python3.10 python3.9; do
  if command -v "$p" >/dev/null 2>&1 \
    && "$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
    python="$p"
    break
  fi
done
if [[ -z "$python" ]]; then
  echo "Python 3.9 ou plus est requis (apt-get install python3 python3-venv)" >&2
  exit 1
fi
# Debian splits venv and ensurepip out of python3.
if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
  else
    echo "le module venv de Python manque : apt-get install python3-venv" >&2
    exit 1
  fi
fi

echo "installation de $want dans $venv…"
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
# shellcheck disable=SC2086
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check $want
"$venv/bin/schemathesis" --version
echo "$want" >"$stamp"
