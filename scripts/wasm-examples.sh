#!/usr/bin/env bash
# Builds the example WebAssembly plugins under examples/plugins from their sources: C with Debian's clang-14
# and lld-14 (--target=wasm32, no libc), WAT with Debian's wabt (wat2wasm). Installs those packages with
# apt-get when they are missing. The built .wasm files are checked in beside their sources, so the tests
# and CI never need this script; run it after changing a source, and commit the .wasm and .sha256 files.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need=()
command -v clang-14 >/dev/null 2>&1 || need+=(clang-14)
command -v wasm-ld-14 >/dev/null 2>&1 || need+=(lld-14)
command -v wat2wasm >/dev/null 2>&1 || need+=(wabt)
if [ "${#need[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "wasm-examples: missing ${need[*]} and apt-get is not available" >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "wasm-examples: installing ${need[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The exact commands are also written into each example's BUILD file, beside the .wasm they made.
build_c() {
  local src="$1" out="${1%.c}.wasm"
  local cmd=(clang-14 --target=wasm32 -O2 -nostdlib -ffreestanding -fno-builtin
    -Wl,--no-entry -Wl,--initial-memory=131072 -Wl,--max-memory=1048576 -Wl,-z,stack-size=16384
    -o "$out" "$src")
  "${cmd[@]}"
  printf '%s\n' "${cmd[*]}" > "${1%.c}.BUILD"
  sha256sum "$out" | cut -d' ' -f1 > "$out.sha256"
  echo "built $out"
}

build_wat() {
  local src="$1" out="${1%.wat}.wasm"
  local cmd=(wat2wasm -o "$out" "$src")
  "${cmd[@]}"
  printf '%s\n' "${cmd[*]}" > "${1%.wat}.BUILD"
  sha256sum "$out" | cut -d' ' -f1 > "$out.sha256"
  echo "built $out"
}

for src in examples/plugins/c/*.c; do build_c "$src"; done
for src in examples/plugins/wat/*.wat; do build_wat "$src"; done
