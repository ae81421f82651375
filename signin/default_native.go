//go:build !(js && wasm)

package signin

import (
	"net/http"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// defaultHTTPClient sends the Admin operations when Config.HTTPClient is
// nil: a plain client, without a cookie jar.
func defaultHTTPClient() cip.HTTPClient { return &http.Client{} }
