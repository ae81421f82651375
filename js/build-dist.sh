#!/bin/sh
# Builds the wasm module and gathers the four distributable files into a
# directory (default build/dist): cognito-wasm.wasm, wasm_exec.js (the Go
# toolchain's own, unmodified), cognito-wasm.js and cognito-wasm.d.ts.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/build/dist"}
mkdir -p "$out"
out=$(cd "$out" && pwd)
goroot=$(go env GOROOT)
cd "$root"
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$out/cognito-wasm.wasm.tmp" ./wasm
mv "$out/cognito-wasm.wasm.tmp" "$out/cognito-wasm.wasm"
cp "$goroot/lib/wasm/wasm_exec.js" "$out/wasm_exec.js"
cp js/cognito-wasm.js js/cognito-wasm.d.ts "$out/"
echo "cognito-wasm: built $out"
