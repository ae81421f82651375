//go:build js && wasm

package signin

import cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

// defaultHTTPClient is nil under wasm: net/http's client would bring its
// Transport, TLS and x509 into the module; the caller passes its fetch client.
func defaultHTTPClient() cip.HTTPClient { return nil }
