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
	"github.com/aws/smithy-go"
)

// TestEndpointsMatchSDK compares RegionalEndpoint with the SDK's endpoint
// rules, which signin's client uses.
func TestEndpointsMatchSDK(t *testing.T) {
	r := cip.NewDefaultEndpointResolverV2()
	for _, region := range []string{"us-east-1", "eu-west-3", "ap-southeast-2", "il-central-1", "mx-central-1",
		"us-gov-west-1", "cn-north-1", "cn-northwest-1", "eusc-de-east-1", "us-iso-east-1", "us-isob-east-1",
		"us-isof-south-1", "eu-isoe-west-1"} {
		ep, err := r.ResolveEndpoint(context.Background(), cip.EndpointParameters{Region: aws.String(region)})
		if err != nil {
			t.Fatalf("SDK ResolveEndpoint(%s) = %v", region, err)
		}
		want := ep.URI.String() + "/"
		if got := RegionalEndpoint(region); got != want {
			t.Errorf("RegionalEndpoint(%q) = %s; want %s (the SDK's)", region, got, want)
		}
	}
}

// TestErrorsMatchSDK sends the same refusals to the SDK client and to Call:
// code and message must be the same, since the wasm module turns them into
// the JS Error's name and message. (The fault differs where the SDK does not
// know the code for that operation: it says unknown, Call says client.)
func TestErrorsMatchSDK(t *testing.T) {
	bodies := []struct {
		status       int
		header, body string
	}{
		{400, "", `{"__type":"NotAuthorizedException","message":"Access Token has been revoked"}`},
		{400, "", `{"__type":"com.amazonaws.cognito.identity.idp.model#UserNotFoundException","message":"User does not exist."}`},
		{400, "CodeMismatchException:http://internal.amazon.com/coral/", `{"message":"Invalid verification code provided, please try again."}`},
		{400, "", `{"__type":"InvalidParameterException","Message":"1 validation error detected"}`},
		{400, "", `{"__type":"SomethingNewException","message":"new"}`},
		{500, "", `{"__type":"InternalErrorException","message":"oops"}`},
		{400, "", `{"__type":"NotAuthorizedException"}`},
		{502, "", ``},
	}
	for _, b := range bodies {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if b.header != "" {
				w.Header().Set("X-Amzn-ErrorType", b.header)
			}
			w.WriteHeader(b.status)
			io.WriteString(w, b.body)
		}))
		sdk := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1})
		_, sdkErr := sdk.GetUser(context.Background(), &cip.GetUserInput{AccessToken: aws.String("t")})
		c, _ := New(Config{Endpoint: srv.URL})
		rpcErr := c.Call(context.Background(), "GetUser", getUserIn{AccessToken: "t"}, nil)
		srv.Close()
		var a, r smithy.APIError
		if !errors.As(sdkErr, &a) || !errors.As(rpcErr, &r) {
			t.Fatalf("%s: SDK %v, rpc %v; want API errors from both", b.body, sdkErr, rpcErr)
		}
		if a.ErrorCode() != r.ErrorCode() || a.ErrorMessage() != r.ErrorMessage() {
			t.Errorf("%s: rpc %q/%q; SDK %q/%q", b.body, r.ErrorCode(), r.ErrorMessage(), a.ErrorCode(), a.ErrorMessage())
		}
	}
}

// TestEndpointPathMatchesSDK sends to a custom endpoint's path as the SDK does.
func TestEndpointPathMatchesSDK(t *testing.T) {
	for _, path := range []string{"", "/", "/base", "/base/", "/a%2Fb/"} {
		var paths []string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			paths = append(paths, r.URL.EscapedPath())
			io.WriteString(w, "{}")
		}))
		sdk := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL + path)})
		sdk.RevokeToken(context.Background(), &cip.RevokeTokenInput{ClientId: aws.String("c"), Token: aws.String("t")})
		c, err := New(Config{Endpoint: srv.URL + path})
		if err != nil {
			t.Fatal(err)
		}
		c.Call(context.Background(), "RevokeToken", struct{}{}, nil)
		srv.Close()
		if len(paths) != 2 || paths[0] != paths[1] {
			t.Errorf("endpoint path %q: SDK then rpc sent to %q; want the same path twice", path, paths)
		}
	}
}
