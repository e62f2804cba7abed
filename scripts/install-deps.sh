#!/usr/bin/env bash
# Installs every build and test dependency of kijun from Debian packages.
# Idempotent: when everything is present it does nothing and makes no network call.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  llvm-19-dev            # ORC LLJIT back end
  clang-19               # compiles the code generator's helpers to bitcode (compiler/backend/helpers.cpp)
  tao-pegtl-dev          # PEGTL 3 grammar for the DSL
  libspdlog-dev          # the tool's own logging
  libboost-test-dev      # Boost.Test suites run by CTest
  libcli11-dev           # command line
  libsimdjson-dev        # fast JSON Lines input
  libsodium-dev          # Ed25519 signatures of plugins and the keys that make them
  libssl-dev             # SHA-256 (libcrypto, with the CPU's SHA instructions): plugin seals, content hashes
  zlib1g-dev libzstd-dev libedit-dev   # LLVM's CMake package looks for these
  chromium fonts-noto-cjk              # headless test and screenshots of the HTML diff report
  python3-numpy python3-pytest         # the Python package (python/kijun): columns as arrays, its tests
  python3-pandas                       # DataFrame in and out of the Python package, and its tests
)

# `install-deps.sh fuzz` adds what `make fuzz` needs besides clang: its libFuzzer runtime.
if [ "${1:-}" = fuzz ]; then
  packages+=(libclang-rt-19-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
