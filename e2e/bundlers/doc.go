// Package bundlers proves that build/dist is a package bundlers take as it
// is: a tiny app (app/) that depends on cognito-wasm by name is built for
// production by pinned Vite, webpack and esbuild (ESM and IIFE; build.mjs).
// Each build is served on its own, with nothing from node_modules or
// build/dist, under a Content-Security-Policy without 'unsafe-eval', and
// signs in by SRP in headless Chromium against the emulator; so does the
// app served by Vite's dev server (dev.mjs). `make bundler-test` builds
// build/dist and installs the pinned bundlers (package-lock.json) first.
package bundlers
