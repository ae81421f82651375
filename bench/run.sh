#!/usr/bin/env bash
# make bench: the client's SRP work natively (go test -bench), then in wasm
# next to amazon-cognito-identity-js's AuthenticationHelper on the same values,
# under Node and in headless Chromium.
# Environment: BENCH_N (timed iterations per side, default 20), CHROMIUM (default /usr/bin/chromium).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ ! -d e2e/reference/node_modules/amazon-cognito-identity-js ]; then
	(cd e2e/reference && npm ci --no-audit --no-fund)
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Each bench appends its figures here (bench/lib/results.mjs); the table at the end reads them.
export BENCH_RESULTS="$tmp/results.jsonl"
: >"$BENCH_RESULTS"

echo "== native: go test -bench ./srp"
go test -run '^$' -bench . -benchmem ./srp

GOOS=js GOARCH=wasm go build -trimpath -o "$tmp/srpbench.wasm" ./bench/srpwasm
# Target 1's native Go figure: the benches below run it between their own runs (the same client work as srpwasm's).
go build -o "$tmp/srpnative" ./bench/srpnative

echo
echo "== wasm under Node vs amazon-cognito-identity-js"
NODE_NO_WARNINGS=1 node bench/srp-bench.mjs --wasm "$tmp/srpbench.wasm" --n "${BENCH_N:-20}" --native "$tmp/srpnative"

echo
echo "== wasm in headless Chromium vs amazon-cognito-identity-js"
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
	NODE_NO_WARNINGS=1 node bench/srp-bench-browser.mjs --wasm "$tmp/srpbench.wasm" --n "${BENCH_N:-20}" --chromium "$chromium" --native "$tmp/srpnative"
else
	echo "not run: no Chromium at $chromium (set CHROMIUM, or install it; make test does)"
fi

# Target 6: the emulator as its own process under 32 clients on loopback (bench/emuload: CPU per SRP sign-in, sign-ins/s, memory over EMU_BENCH_MEM_N sign-ins).
echo; echo "== emulator under load (bench/emuload)"; go build -o "$tmp/cognito-emulator" ./cmd/cognito-emulator && go run ./bench/emuload -emulator "$tmp/cognito-emulator"

# Targets 2 and 5 (mem): submit-to-tokens vs amazon-cognito-identity-js; memory over 1000 sequential and 1000 concurrent sign-ins.
echo; echo "== sign-in submit to tokens, Chromium (target 2)"; [ -x "$chromium" ] && NODE_NO_WARNINGS=1 node bench/signin-bench-browser.mjs --n "${BENCH_N:-20}" --chromium "$chromium"
# Target 2 with a remembered device (issue 8): USER_SRP_AUTH + DEVICE_SRP_AUTH/DEVICE_PASSWORD_VERIFIER (two SRP computations) vs amazon-cognito-identity-js's device flow.
echo; echo "== remembered-device sign-in submit to tokens, Chromium (target 2)"; [ -x "$chromium" ] && NODE_NO_WARNINGS=1 node bench/signin-device-bench-browser.mjs --n "${BENCH_N:-20}" --chromium "$chromium"
echo; echo "== memory over many sign-ins, Chromium (target 5)"; [ -x "$chromium" ] && NODE_NO_WARNINGS=1 node bench/mem-bench-browser.mjs --chromium "$chromium"

# Target 4 (load): time to ready in Chromium, loopback and 10 Mbit/s, first and repeat visits, vs amazon-cognito-identity-js (bench/loadbench).
echo; echo "== time to ready, Chromium (target 4)"; [ -x "$chromium" ] && go run ./bench/loadbench -n "${LOAD_BENCH_N:-5}" -chromium "$chromium"

# Target 3: the shipped module's raw/gzip/brotli size and its biggest packages (tools/build-wasm.sh, bench/sizereport).
echo; echo "== size of the shipped wasm module (bench/size-report.sh)"; bash bench/size-report.sh
echo
echo "== every figure: median, reference, ratio and target (bench/table.mjs)"
node bench/table.mjs "$BENCH_RESULTS"
