#!/usr/bin/env bash
# Install schemathesis (the property-based OpenAPI client of the conformance test
# `cargo test -p annuaire --test openapi`) and openapi-spec-validator in a private virtualenv,
# target/venv-schemathesis, leaving the system Python alone. Every package version is locked in
# schemathesis-requirements.txt beside this script. Idempotent: a no-op (well under a second)
# when that exact set is already installed.
#
#   scripts/setup/schemathesis.sh          # install or check
#   ANNUAIRE_VENV=/path scripts/...        # elsewhere (the test reads the same variable)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${ANNUAIRE_VENV:-$root/target/venv-schemathesis}"
lock="$here/schemathesis-requirements.txt"
stamp="$venv/.annuaire-installed"
want="$(sha256sum "$lock" | cut -d' ' -f1)"

if [[ -x "$venv/bin/schemathesis" && -x "$venv/bin/openapi-spec-validator" && -f "$stamp" \
  && "$(cat "$stamp")" == "$want" ]]; then
  echo "schemathesis déjà installé dans $venv"
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

echo "installation de schemathesis dans $venv…"
# Start afresh, but never remove a folder that is not a virtualenv.
if [[ -e "$venv" && ! -f "$venv/pyvenv.cfg" ]]; then
  echo "$venv existe et n'est pas un virtualenv : choisissez un autre ANNUAIRE_VENV" >&2
  exit 1
fi
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$lock"
"$venv/bin/schemathesis" --version
echo "$want" >"$stamp"
