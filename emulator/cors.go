package emulator

import (
	"net/http"
	"strings"
)

// corsAllowHeaders are the request headers AWS's SDKs send from a browser
// (signed and unsigned), so a page on any origin can call the emulator.
var corsAllowHeaders = strings.Join([]string{
	"content-type", "x-amz-target", "x-amz-user-agent", "amz-sdk-invocation-id",
	"amz-sdk-request", "cache-control", "authorization", "x-amz-date",
	"x-amz-content-sha256", "x-amz-security-token", "x-amz-client-context",
	"x-amz-api-version", "x-requested-with",
}, ", ")

// setCORS marks every response readable from any origin. Only the request id
// is exposed: X-Amzn-ErrorType is deliberately not, so browser clients are
// proven to work from the body's __type, as they must against Cognito.
func setCORS(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "x-amzn-RequestId")
}

// preflight answers an OPTIONS request for any origin and path.
func preflight(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
	h.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusOK)
}
