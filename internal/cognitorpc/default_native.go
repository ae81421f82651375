//go:build !(js && wasm)

package cognitorpc

import "net/http"

// defaultHTTPClient is a client without a cookie jar.
func defaultHTTPClient() HTTPClient { return &http.Client{} }
