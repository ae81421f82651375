// Command probe checks the behaviour the SDK patches (tools/sdkpatch)
// promise, built against the patched modules; sdkpatch's test runs it
// under GOOS=js as the shipped module is built. Against the released SDK
// it fails: a client without an HTTPClient tries the network.
//
// It checks that endpoints still resolve to each partition's domain for
// regions the SDK does not list by name (the partition regexps, now matched
// without the regexp package), with the endpoint rules and with the legacy
// resolver (whose tables are now built on use); that a client built without
// an HTTPClient fails with an error saying so; and that the request/response
// logger (ClientLogMode) still logs the request line, headers and body while
// the body still reaches the HTTP client whole.
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

// partitions: a region of each partition that the pinned SDK does not list
// by name, so only the partition's regionRegex places it, and the domain
// its endpoint must have.
var partitions = []struct{ region, suffix string }{
	{"us-east-1", "amazonaws.com"}, // listed by name
	{"mx-central-9", "amazonaws.com"},
	{"cn-east-9", "amazonaws.com.cn"},
	{"eusc-de-west-9", "amazonaws.eu"},
	{"us-iso-north-9", "c2s.ic.gov"},
	{"us-isob-north-9", "sc2s.sgov.gov"},
	{"eu-isoe-north-9", "cloud.adc-e.uk"},
	{"us-isof-north-9", "csp.hci.ic.gov"},
	{"us-gov-north-9", "amazonaws.com"},
	{"zz-north-9", "amazonaws.com"}, // no partition's pattern: the aws partition
}

func endpoints(ctx context.Context) error {
	rules := cip.NewDefaultEndpointResolverV2()
	legacy := cip.NewDefaultEndpointResolver()
	for _, p := range partitions {
		want := "cognito-idp." + p.region + "." + p.suffix
		ep, err := rules.ResolveEndpoint(ctx, cip.EndpointParameters{Region: aws.String(p.region)})
		if err != nil || ep.URI.Host != want {
			return fmt.Errorf("endpoint rules for %s: host %q, err %v; want %s", p.region, ep.URI.Host, err, want)
		}
		old, err := legacy.ResolveEndpoint(p.region, cip.EndpointResolverOptions{})
		if err != nil || old.URL != "https://"+want {
			return fmt.Errorf("legacy resolver for %s: %q, err %v; want https://%s", p.region, old.URL, err, want)
		}
	}
	return nil
}

func run() error {
	ctx := context.Background()
	if err := endpoints(ctx); err != nil {
		return err
	}
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
