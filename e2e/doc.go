// Package e2e drives the demo page in a real headless Chromium: the page and
// the Cognito emulator are served on different origins, as with real
// Cognito, so CORS, the Fetch transport and the wasm runtime are all
// exercised. e2e/reference holds the Node tests that run AWS's own clients
// against the emulator.
package e2e
