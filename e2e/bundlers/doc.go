// Package bundlers proves that build/dist is a package bundlers take as it
// is: a tiny app (app/) that depends on cognito-wasm by name is built for
// production by pinned Vite and esbuild (ESM and IIFE; build.mjs), each build
// is served on its own with nothing else, under a Content-Security-Policy
// without 'unsafe-eval', and signs in by SRP in headless Chromium against the
// emulator. `make bundler-test` installs the pinned bundlers (package-lock.json)
// and builds build/dist first.
package bundlers
