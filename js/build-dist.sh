#!/bin/sh
# Builds the wasm module and gathers the npm package into a directory
# (default build/dist): cognito-wasm.wasm, wasm_exec.js (the Go toolchain's
# own, unmodified), cognito-wasm.js, cognito-wasm.d.ts, package.json (from
# js/package.dist.json) and README.md. The .wasm comes from tools/build-wasm.sh,
# the one build of the shipped module (make build uses it too).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/build/dist"}
mkdir -p "$out"
out=$(cd "$out" && pwd)
goroot=$(go env GOROOT)
cd "$root"
tools/build-wasm.sh "$out/cognito-wasm.wasm"
cp "$goroot/lib/wasm/wasm_exec.js" "$out/wasm_exec.js"
cp js/cognito-wasm.js js/cognito-wasm.d.ts "$out/"
cp js/package.dist.json "$out/package.json"
cp README.md "$out/README.md"
echo "cognito-wasm: built $out"
