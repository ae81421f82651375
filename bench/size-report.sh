#!/usr/bin/env bash
# Target 3: the size of the shipped wasm module and where it goes. Builds it
# with tools/build-wasm.sh (the one build that make build and
# js/build-dist.sh use), once as shipped and once keeping function names,
# then prints the biggest Go packages by code (bench/sizereport) and the
# raw / gzip / brotli sizes (bench/size-record.mjs, which records the figure
# in $BENCH_RESULTS when set).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
tools/build-wasm.sh "$tmp/cognito-wasm.wasm"
WASM_KEEP_NAMES=1 tools/build-wasm.sh "$tmp/named.wasm"
GOOS=js GOARCH=wasm go list -modfile="$(go run ./tools/sdkpatch)" -deps ./wasm >"$tmp/packages.txt"
go run ./bench/sizereport -shipped "$tmp/cognito-wasm.wasm" -names "$tmp/named.wasm" -pkgs "$tmp/packages.txt" -top "${SIZE_TOP:-15}"
node bench/size-record.mjs "$tmp/cognito-wasm.wasm"
