// Package cognitorpc sends Cognito user-pool operations as plain awsJson1.1
// calls: a POST of the operation's JSON with its X-Amz-Target, the answer
// decoded into a small struct. It exists for size: every operation of the
// SDK client linked into the wasm module costs about 5 KB of brotli, so the
// operations beyond sign-in (account, tokens, sign-out) go through this one
// path instead, over the same HTTP client the SDK uses.
//
// Errors come out as the SDK's do: Cognito's exception as a
// *smithy.GenericAPIError (code and message from __type/message, or the
// X-Amzn-ErrorType header) inside a *smithy.OperationError, so
// errors.As(err, &smithy.APIError) and the wasm module's error mapping treat
// both paths alike. Nothing is retried: most of these calls spend a code or
// a token, and a resent one that had arrived would be refused.
package cognitorpc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// DefaultMaxResponseBytes bounds an answer's body; Cognito's are a few KiB.
const DefaultMaxResponseBytes = 1 << 20

// ServiceID names the service in errors, as the SDK client does.
const ServiceID = "Cognito Identity Provider"

// targetPrefix is the X-Amz-Target namespace of Cognito user pools.
const targetPrefix = "AWSCognitoIdentityProviderService."

// HTTPClient sends one request. The wasm module's fetch client and an
// *http.Client both satisfy it (it is the SDK's HTTPClient too).
type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

// Config says where the calls go.
type Config struct {
	// Region picks Cognito's regional endpoint when Endpoint is empty.
	Region string
	// Endpoint replaces Cognito's (an emulator); used as given, as the SDK's
	// BaseEndpoint is.
	Endpoint string
	// HTTPClient sends the requests. It should not carry a cookie jar:
	// Cognito's API uses none. nil: a plain client natively; required in
	// the wasm build (where net/http's client would add its Transport, TLS
	// and x509 to the module).
	HTTPClient HTTPClient
	// MaxResponseBytes bounds an answer; 0 means DefaultMaxResponseBytes.
	MaxResponseBytes int64
}

// Client calls operations at one endpoint. It holds no state between calls
// and is safe for concurrent use.
type Client struct {
	url string
	hc  HTTPClient
	max int64
}

// New checks cfg and resolves the endpoint.
func New(cfg Config) (*Client, error) {
	c := &Client{hc: cfg.HTTPClient, max: cfg.MaxResponseBytes}
	if c.hc == nil {
		c.hc = defaultHTTPClient()
		if c.hc == nil {
			return nil, fmt.Errorf("cognitorpc: HTTPClient is required in this build")
		}
	}
	if c.max <= 0 {
		c.max = DefaultMaxResponseBytes
	}
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("cognitorpc: Endpoint must be an absolute http or https URL")
		}
		if u.Path == "" && u.RawPath == "" {
			u.Path = "/" // as the SDK sends it
		}
		c.url = u.String()
		return c, nil
	}
	if !isRegion(cfg.Region) {
		return nil, fmt.Errorf("cognitorpc: Region must be a region name such as us-east-1")
	}
	c.url = RegionalEndpoint(cfg.Region)
	return c, nil
}

// URL is where the calls go.
func (c *Client) URL() string { return c.url }

// HTTPClient is what sends the calls: Config.HTTPClient, or the default
// New chose for this build.
func (c *Client) HTTPClient() HTTPClient { return c.hc }

// RegionalEndpoint is Cognito's endpoint in region, as the SDK's endpoint
// rules resolve it without FIPS or dual-stack: the partition picks the DNS
// suffix.
func RegionalEndpoint(region string) string {
	suffix := "amazonaws.com"
	for _, p := range partitions {
		if strings.HasPrefix(region, p.prefix) {
			suffix = p.suffix
			break
		}
	}
	return "https://cognito-idp." + region + "." + suffix + "/"
}

// partitions are the non-default DNS suffixes by region prefix (the SDK's
// partitions.go); us-gov and the commercial regions use amazonaws.com.
var partitions = []struct{ prefix, suffix string }{
	{"cn-", "amazonaws.com.cn"},
	{"eusc-", "amazonaws.eu"},
	{"us-iso-", "c2s.ic.gov"},
	{"us-isob-", "sc2s.sgov.gov"},
	{"us-isof-", "csp.hci.ic.gov"},
	{"eu-isoe-", "cloud.adc-e.uk"},
}

func isRegion(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' {
			return false
		}
	}
	return true
}

// Call sends operation op with in as its JSON body and decodes the answer
// into out (nil: the answer is read and dropped). ctx cancels the request.
// Errors are wrapped in *smithy.OperationError; Cognito's refusals are
// *smithy.GenericAPIError within.
func (c *Client) Call(ctx context.Context, op string, in, out any) error {
	if err := c.call(ctx, op, in, out); err != nil {
		return &smithy.OperationError{ServiceID: ServiceID, OperationName: op, Err: err}
	}
	return nil
}

func (c *Client) call(ctx context.Context, op string, in, out any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	body, err := json.Marshal(in)
	if err != nil {
		return &smithy.SerializationError{Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", targetPrefix+op)
	res, err := c.hc.Do(req)
	if err != nil {
		// As the SDK: the error inside a ResponseError over an empty
		// response (StatusCode 0).
		err = &smithyhttp.RequestSendError{Err: err}
		if ctx.Err() != nil {
			err = &smithy.CanceledError{Err: ctx.Err()}
		}
		return responseError(&http.Response{Header: http.Header{}, Body: http.NoBody}, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, c.max+1))
	if err != nil {
		return responseError(res, fmt.Errorf("cognitorpc: reading the answer: %w", err))
	}
	if int64(len(data)) > c.max {
		return responseError(res, &smithy.DeserializationError{Err: fmt.Errorf("answer is larger than %d bytes", c.max)})
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return responseError(res, apiError(res, data))
	}
	if out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return responseError(res, &smithy.DeserializationError{Err: fmt.Errorf("failed to decode response body, %w", err), Snapshot: snapshot(data)})
	}
	return nil
}

// apiError reads Cognito's refusal as the SDK's deserializers do: the code
// from the X-Amzn-ErrorType header, else __type, else code, cut to the
// exception's name ("ns#Name:detail" -> "Name"); the message from message
// or Message. A body that is not JSON is a DeserializationError, as there.
func apiError(res *http.Response, data []byte) error {
	var info struct {
		Type     string `json:"__type"`
		Code     any    `json:"code"`
		Message  string `json:"message"`
		Message2 string `json:"Message"`
	}
	if len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, &info); err != nil {
			return &smithy.DeserializationError{Err: fmt.Errorf("failed to decode response body, %w", err), Snapshot: snapshot(data)}
		}
	}
	code := res.Header.Get("X-Amzn-ErrorType")
	if code == "" {
		code = info.Type
	}
	if s, ok := info.Code.(string); ok && code == "" {
		code = s
	}
	code = sanitizeCode(code)
	msg := info.Message
	if msg == "" {
		msg = info.Message2
	}
	if code == "" {
		code = "UnknownError"
		if msg == "" {
			msg = code
		}
	}
	fault := smithy.FaultClient
	if res.StatusCode >= 500 {
		fault = smithy.FaultServer
	}
	return &smithy.GenericAPIError{Code: code, Message: msg, Fault: fault}
}

// sanitizeCode keeps what is before ':' and after '#', as the SDK does.
func sanitizeCode(code string) string {
	code, _, _ = strings.Cut(code, ":")
	if _, after, ok := strings.Cut(code, "#"); ok {
		code = after
	}
	return code
}

// responseError carries the HTTP status and request ID as the SDK's
// errors do (awshttp.ResponseError), around err: every error once a request
// was attempted, as the SDK's ResponseErrorWrapper wraps them.
func responseError(res *http.Response, err error) error {
	return &awshttp.ResponseError{
		ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: res}, Err: err},
		RequestID:     res.Header.Get("X-Amzn-Requestid"),
	}
}

// snapshot is the start of a body that could not be decoded, for the error.
func snapshot(data []byte) []byte {
	if len(data) > 1024 {
		data = data[:1024]
	}
	return append([]byte(nil), data...)
}
