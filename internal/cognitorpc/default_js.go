//go:build js && wasm

package cognitorpc

// defaultHTTPClient is nil in the wasm build: net/http's client would link
// its Transport, TLS and x509 into the module, so the caller passes its
// fetch client.
func defaultHTTPClient() HTTPClient { return nil }
