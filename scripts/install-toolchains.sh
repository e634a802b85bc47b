#!/usr/bin/env bash
# Installs the toolchains the fixture suites need (Go, pytest) from Debian's packages when they
# are missing, and fails loudly when one cannot be had: a missing toolchain is a failed check.
set -euo pipefail
export PATH="$HOME/.cargo/bin:$PATH"
missing=()
command -v cargo >/dev/null 2>&1 || missing+=(cargo)
command -v go >/dev/null 2>&1 || missing+=(golang-go)
python3 -c 'import pytest' >/dev/null 2>&1 || missing+=(python3-pytest)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing toolchains: ${missing[*]} (install them, e.g. apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "installing ${missing[*]} from Debian's packages" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
for tool in go cargo python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "required toolchain not found: $tool" >&2; exit 1; }
done
python3 -c 'import pytest' || { echo 'pytest is not importable by python3' >&2; exit 1; }
echo "go: $(go version)"; echo "cargo: $(cargo --version)"; echo "pytest: $(python3 -m pytest --version 2>&1)"
