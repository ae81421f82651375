#!/bin/sh
# The one build of the shipped WebAssembly module: make build, js/build-dist.sh,
# the browser tests and the benches all call it, so that what is tested and
# measured is what ships.
#
#   tools/build-wasm.sh OUT.wasm
#
# It builds ./wasm for GOOS=js against the AWS SDK with cognito-wasm's patches
# applied (tools/sdkpatch: a go.mod that replaces the patched modules by
# patched copies of the pinned releases, used through -modfile; go.mod itself
# and native builds are untouched). The patches keep net/http's Transport, TLS
# and x509 out of the module; README.md ("Why the SDK is patched") says more.
# WASM_KEEP_NAMES=1 keeps the function names (the size report reads them);
# the code is the same.
set -eu
if [ $# -ne 1 ]; then
	echo "usage: tools/build-wasm.sh OUT.wasm" >&2
	exit 2
fi
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
modfile=$(go run ./tools/sdkpatch)
strip="-s -w"
if [ "${WASM_KEEP_NAMES:-}" = 1 ]; then
	strip="-w"
fi
ldflags="$strip"
# The package version (js/package.dist.json, when there) is cognitoWasm.version.
if [ -f js/package.dist.json ]; then
	version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' js/package.dist.json | head -n 1)
	if [ -n "$version" ]; then
		ldflags="$ldflags -X main.Version=$version"
	fi
fi
mkdir -p "$(dirname "$out")"
GOOS=js GOARCH=wasm go build -modfile="$modfile" -trimpath -ldflags="$ldflags" -o "$out.tmp" ./wasm
mv "$out.tmp" "$out"
