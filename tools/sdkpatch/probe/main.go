// Command probe checks the behaviour the SDK patches (tools/sdkpatch)
// promise, built against the patched modules; sdkpatch's test runs it
// under GOOS=js as the shipped module is built. Against the released SDK
// it fails: a client without an HTTPClient tries the network.
//
// It checks that a client built without an HTTPClient fails with an error
// saying so, and that the request/response logger (ClientLogMode) still
// logs the request line, headers and body while the body still reaches the
// HTTP client whole.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go/logging"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "probe:", err)
		os.Exit(1)
	}
	fmt.Println("probe: ok")
}

func input() *cip.InitiateAuthInput {
	return &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowTypeUserPasswordAuth,
		ClientId:       aws.String("probeclient"),
		AuthParameters: map[string]string{"USERNAME": "probe-user", "PASSWORD": "probe-password"},
	}
}

// recorder answers every request with an empty InitiateAuth result and
// keeps the body it was sent.
type recorder struct{ body []byte }

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	r.body = b
	return &http.Response{
		StatusCode: 200,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amzn-Requestid": {"probe-request"}},
		Body:       io.NopCloser(strings.NewReader(`{"Session":"probe-session"}`)),
		Request:    req,
	}, nil
}

func run() error {
	ctx := context.Background()
	base := cip.Options{Region: "us-east-1", BaseEndpoint: aws.String("http://127.0.0.1:9"), Retryer: aws.NopRetryer{}}

	noClient := cip.New(base)
	_, err := noClient.InitiateAuth(ctx, input())
	if err == nil || !strings.Contains(err.Error(), "no HTTPClient") {
		return fmt.Errorf("InitiateAuth without an HTTPClient: err = %v; want one saying there is no HTTPClient", err)
	}

	var log bytes.Buffer
	rec := &recorder{}
	opts := base
	opts.HTTPClient = rec
	opts.ClientLogMode = aws.LogRequestWithBody | aws.LogResponseWithBody
	opts.Logger = logging.LoggerFunc(func(_ logging.Classification, format string, v ...interface{}) {
		fmt.Fprintf(&log, format+"\n", v...)
	})
	out, err := cip.New(opts).InitiateAuth(ctx, input())
	if err != nil {
		return fmt.Errorf("InitiateAuth with a logging client: %v", err)
	}
	if aws.ToString(out.Session) != "probe-session" {
		return fmt.Errorf("Session = %q; want probe-session", aws.ToString(out.Session))
	}
	if !bytes.Contains(rec.body, []byte(`"USERNAME":"probe-user"`)) {
		return fmt.Errorf("the HTTP client got the body %q; want the whole request", rec.body)
	}
	for _, want := range []string{
		"POST / HTTP/1.1", "Host: 127.0.0.1:9", "X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth",
		`"USERNAME":"probe-user"`, "Response", "HTTP/1.1 200", `{"Session":"probe-session"}`,
	} {
		if !strings.Contains(log.String(), want) {
			return fmt.Errorf("the log lacks %q:\n%s", want, log.String())
		}
	}
	return nil
}
