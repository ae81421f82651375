# cognito-wasm: `make demo` runs the demo, `make test` runs every test (browser included).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

GO        ?= go
GOROOT    := $(shell $(GO) env GOROOT)
WASM_EXEC := $(GOROOT)/lib/wasm/go_js_wasm_exec
DIST      := build/dist
CHROMIUM  ?= /usr/bin/chromium
REFERENCE := e2e/reference
# Packages built for the browser; the rest (emulator, demo, e2e) are native only.
JS_PKGS   := ./srp/... ./signin/... ./session/... ./internal/jsbridge/... ./internal/cognitorpc/... ./account/... ./wasm/... ./bench/srpwasm/...
JS_TEST_PKGS := ./srp/... ./internal/jsbridge/... ./wasm/...
NATIVE_PKGS = $(shell $(GO) list ./... | grep -v -e /e2e)

.PHONY: build demo test vet unit-test js-test reference-test browser-test bundler-test bench node-deps js-deps demo-deps bundler-deps chromium clean

# The .br and .gz of each file a page loads, made once here for servers and
# static hosts that send them as they are (README, "Serving the files").
COMPRESSED := $(foreach f,cognito-wasm.wasm wasm_exec.js cognito-wasm.js,$(DIST)/$(f).br $(DIST)/$(f).gz)

## build: the wasm distribution in build/dist (with .br and .gz) and the commands in bin/
build: $(DIST)/cognito-wasm.wasm $(DIST)/wasm_exec.js $(DIST)/cognito-wasm.js $(DIST)/cognito-wasm.d.ts $(DIST)/package.json $(DIST)/README.md $(COMPRESSED) bin/cognito-emulator bin/cognito-demo

# tools/build-wasm.sh is the one build of the shipped module (js/build-dist.sh,
# the browser tests and make bench use it too): ./wasm against the SDK with
# tools/sdkpatch's patches applied (README: "Why the SDK is patched").
$(DIST)/cognito-wasm.wasm: go.mod go.sum js/package.dist.json tools/build-wasm.sh $(shell find srp signin session internal wasm tools/sdkpatch -name '*.go' -o -name '*.patch' 2>/dev/null)
	@echo "==> Building the wasm module $@ (a first build takes a minute or so)"
	tools/build-wasm.sh $@

$(DIST)/wasm_exec.js: $(GOROOT)/lib/wasm/wasm_exec.js
	@mkdir -p $(DIST)
	cp $< $@

# build/dist is the npm package: its package.json comes from js/package.dist.json
# (where its version is kept), its README is the project's.
$(DIST)/package.json: js/package.dist.json
	@mkdir -p $(DIST)
	cp $< $@

$(DIST)/README.md: README.md
	@mkdir -p $(DIST)
	cp $< $@

$(DIST)/%: js/%
	@mkdir -p $(DIST)
	cp $< $@

# One run writes both (a pattern rule with two targets).
$(DIST)/%.br $(DIST)/%.gz: $(DIST)/% $(shell find internal/precompress cmd/precompress -name '*.go')
	@echo "==> Precompressing $< (.br and .gz; Brotli's best quality takes tens of seconds on the module)"
	$(GO) run ./cmd/precompress $<

bin/%: FORCE
	@echo "==> Building the command bin/$*"
	$(GO) build -o $@ ./cmd/$*

FORCE:

## demo: build, start the emulator with the demo users, serve the page, print the URL
demo: build demo-deps
	@echo "==> Starting the emulator and the demo page"
	./bin/cognito-demo -seed demo/seed.json -data .data/emulator -dist $(DIST) -modules demo/node_modules

## test: everything, browser tests included; never skips
test: vet unit-test js-test reference-test browser-test bundler-test

vet:
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet $(JS_PKGS)

unit-test: node-deps
	$(GO) test -race -count=1 $(NATIVE_PKGS)

js-test: build node-deps js-deps
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(WASM_EXEC)" $(JS_TEST_PKGS)
	cd js && node_modules/.bin/tsc -p tsconfig.json && node_modules/.bin/tsc -p tsconfig.nodom.json
	cd js && COGNITO_WASM_DIST=$(CURDIR)/$(DIST) NODE_NO_WARNINGS=1 node --test test/

reference-test: build node-deps
	cd $(REFERENCE) && COGNITO_EMULATOR_BIN=$(CURDIR)/bin/cognito-emulator NODE_NO_WARNINGS=1 node --test

browser-test: chromium build demo-deps node-deps
	CHROMIUM=$(CHROMIUM) $(GO) test -count=1 -timeout 10m ./e2e/

## bundler-test: a tiny app built by pinned Vite, webpack and esbuild (ESM, IIFE) from build/dist signs in from each
## production build in Chromium
bundler-test: chromium build bundler-deps
	CHROMIUM=$(CHROMIUM) $(GO) test -count=1 -timeout 5m ./e2e/bundlers/

## bench: SRP client work natively, in wasm under Node, and AWS's JS client on the same values
bench: build node-deps
	bash bench/run.sh

node-deps: $(REFERENCE)/node_modules/.package-lock.json

js-deps: js/node_modules/.package-lock.json

## bundler-deps: Vite, webpack and esbuild pinned in e2e/bundlers/package-lock.json; the app depends on build/dist
## (a file: dependency, a link), so the package is built first
bundler-deps: e2e/bundlers/node_modules/.package-lock.json

e2e/bundlers/node_modules/.package-lock.json: e2e/bundlers/package.json e2e/bundlers/package-lock.json $(DIST)/package.json
	@echo "==> Installing the pinned bundlers (e2e/bundlers/package.json)"
	cd e2e/bundlers && npm ci --no-audit --no-fund

## demo-deps: the demo page's QR encoder, pinned in demo/package.json
demo-deps: demo/node_modules/.package-lock.json

demo/node_modules/.package-lock.json: demo/package.json demo/package-lock.json
	@echo "==> Installing the demo page's npm packages (demo/package.json)"
	cd demo && npm ci --no-audit --no-fund

js/node_modules/.package-lock.json: js/package.json js/package-lock.json
	cd js && npm ci --no-audit --no-fund

$(REFERENCE)/node_modules/.package-lock.json: $(REFERENCE)/package.json $(REFERENCE)/package-lock.json
	cd $(REFERENCE) && npm ci --no-audit --no-fund

chromium:
	@if ! [ -x "$(CHROMIUM)" ]; then \
	  echo "Chromium is missing: installing Debian's chromium package"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
	    || { echo "FATAL: could not install chromium; the browser tests cannot run" >&2; exit 1; }; \
	fi
	@"$(CHROMIUM)" --version

clean:
	rm -rf build bin
