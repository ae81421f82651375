//go:build !(js && wasm)

package cognitorpc

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

type failingClient struct{ err error }

func (f failingClient) Do(*http.Request) (*http.Response, error) { return nil, f.err }

// TestOtherErrorsReadAsSDK: a transport failure and an answer that is not
// JSON read as the SDK client's do, word for word (inside a ResponseError,
// with the status and request ID), since a message that is not Cognito's
// reaches JavaScript as the error's text.
func TestOtherErrorsReadAsSDK(t *testing.T) {
	ctx := context.Background()
	fail := failingClient{errors.New("fetch failed")}
	sdk := cip.New(cip.Options{Region: "us-east-1", HTTPClient: fail, Retryer: aws.NopRetryer{}})
	_, sdkErr := sdk.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String("t")})
	c, _ := New(Config{Region: "us-east-1", HTTPClient: fail})
	rpcErr := c.Call(ctx, "GetUser", getUserIn{AccessToken: "t"}, &struct{ Username string }{})
	if sdkErr == nil || rpcErr == nil || rpcErr.Error() != sdkErr.Error() {
		t.Errorf("transport failure: rpc %v; SDK %v", rpcErr, sdkErr)
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amzn-Requestid", "rid-1")
		io.WriteString(w, "<html>")
	}))
	defer srv.Close()
	sdk = cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1})
	_, sdkErr = sdk.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String("t")})
	c, _ = New(Config{Endpoint: srv.URL})
	rpcErr = c.Call(ctx, "GetUser", getUserIn{AccessToken: "t"}, &struct{ Username string }{})
	if sdkErr == nil || rpcErr == nil || rpcErr.Error() != sdkErr.Error() {
		t.Errorf("answer not JSON: rpc %v; SDK %v", rpcErr, sdkErr)
	}
}
