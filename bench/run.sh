#!/usr/bin/env bash
# make bench: the client's SRP work natively (go test -bench) and in wasm under
# Node next to amazon-cognito-identity-js's AuthenticationHelper.
# Environment: BENCH_N (timed iterations per side, default 20).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ ! -d e2e/reference/node_modules/amazon-cognito-identity-js ]; then
	(cd e2e/reference && npm ci --no-audit --no-fund)
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "== native: go test -bench ./srp"
go test -run '^$' -bench . -benchmem ./srp

echo
echo "== wasm under Node vs amazon-cognito-identity-js"
GOOS=js GOARCH=wasm go build -trimpath -o "$tmp/srpbench.wasm" ./bench/srpwasm
NODE_NO_WARNINGS=1 node bench/srp-bench.mjs --wasm "$tmp/srpbench.wasm" --n "${BENCH_N:-20}"
