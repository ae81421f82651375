// Package jsbridge is the glue between Go and JavaScript under GOOS=js:
// Promises whose work runs in a goroutine with panics contained, awaiting JS
// Promises without leaking callbacks, checked conversion of JS values, and an
// http.RoundTripper over the JS fetch API.
//
// Everything that touches syscall/js is in files tagged js && wasm; this file
// and the tag check in tags_test.go build everywhere so `go vet ./...` and
// native tests see the package.
package jsbridge
