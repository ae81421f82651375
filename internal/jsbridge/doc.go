// Package jsbridge is the glue between Go and JavaScript under GOOS=js:
// Promises whose work runs in a goroutine with panics contained, awaiting JS
// Promises without leaking callbacks, conversion of JS values that refuses
// what cannot be carried faithfully, an http.RoundTripper over the JS fetch
// API whose errors say whether a request could have left, and Compute, which
// runs CPU-heavy work without starving the event loop.
//
// Everything that touches syscall/js is in files tagged js && wasm; this file
// and the tag check in tags_test.go build everywhere so `go vet ./...` and
// native tests see the package.
package jsbridge
