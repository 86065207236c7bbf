#!/usr/bin/env bash
# Installs everything the test suite needs (headless LibreOffice, Chromium and the PostgreSQL server
# from Debian, the package with its test extras) and runs the whole suite. `.ci/run` calls exactly
# this. The tests start their own throwaway PostgreSQL cluster; none is configured here.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Debian keeps initdb and pg_ctl off the PATH, in /usr/lib/postgresql/VERSION/bin
command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "installing ${missing[*]} ..."
  $sudo apt-get update -qq
  # with recommends: the package set verified on these machines
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" fonts-dejavu-core >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check ".[test]"
python3 -m ruff check --quiet src tests
python3 -m ruff format --check --quiet src tests
python3 -m mypy  # settings in pyproject.toml: strict where a module allows it
python3 -m pytest "$@"
