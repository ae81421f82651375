package signin

import (
	"errors"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// Bounds on what a caller may pass; Cognito's own limits are smaller, so
// nothing legitimate is refused, and a runaway caller is stopped early.
const (
	MaxMapEntries = 64       // entries in AuthParameters, ChallengeResponses, ClientMetadata
	MaxKeyLen     = 256      // bytes in a map key
	MaxValueLen   = 16 << 10 // bytes in a map value (refresh tokens run to a few KiB)
	MaxSessionLen = 64 << 10 // bytes in a Session
	maxNameLen    = 128      // AuthFlow, ChallengeName, client ID
	maxSecretLen  = 512      // client secret
	maxEndpoint   = 2048     // endpoint URL
)

// Config says which pool and app client to talk to and how.
type Config struct {
	UserPoolID   string // "us-east-1_AbC123"; required
	ClientID     string // app client ID; required
	ClientSecret string // only for app clients that have one
	Region       string // defaults to the pool ID's prefix
	Endpoint     string // custom endpoint (emulator); default is Cognito's
	HTTPClient   cip.HTTPClient
	Now          func() time.Time // signing time for TIMESTAMP; default time.Now
	Random       io.Reader        // SRP ephemerals; default crypto/rand
}

// Client runs sign-in flows for one app client. It keeps no per-user state
// and is safe for concurrent use.
type Client struct {
	cfg      Config
	poolName string
	api      *cip.Client
}

// New validates cfg and builds the SDK client: anonymous credentials (the
// sign-in operations are unsigned), the standard retryer minus retries of
// NotAuthorizedException, and cfg.Endpoint as the base endpoint when set.
func New(cfg Config) (*Client, error) {
	if err := checkName("UserPoolId", cfg.UserPoolID, 55); err != nil {
		return nil, err
	}
	region, name, ok := strings.Cut(cfg.UserPoolID, "_")
	if !ok || region == "" || name == "" || !isRegion(region) || !isAlnum(name) {
		return nil, paramErr("UserPoolId", "must look like <region>_<name>, e.g. us-east-1_AbC123")
	}
	if err := checkName("ClientId", cfg.ClientID, maxNameLen); err != nil {
		return nil, err
	}
	for _, c := range []byte(cfg.ClientID) {
		if !isAlnumByte(c) && c != '_' && c != '+' {
			return nil, paramErr("ClientId", "may hold only letters, digits, '_' and '+'")
		}
	}
	if len(cfg.ClientSecret) > maxSecretLen {
		return nil, paramErr("ClientSecret", "is longer than %d bytes", maxSecretLen)
	}
	if cfg.Region == "" {
		cfg.Region = region
	} else if len(cfg.Region) > 32 || !isRegion(cfg.Region) {
		return nil, paramErr("Region", "must be a region name such as us-east-1")
	}
	if cfg.Endpoint != "" {
		if len(cfg.Endpoint) > maxEndpoint {
			return nil, paramErr("Endpoint", "is longer than %d bytes", maxEndpoint)
		}
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, paramErr("Endpoint", "must be an absolute http or https URL")
		}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	opts := cip.Options{
		Region:      cfg.Region,
		Credentials: aws.AnonymousCredentials{},
		HTTPClient:  cfg.HTTPClient,
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(neverRetry)}, o.Retryables...)
		}),
	}
	if cfg.Endpoint != "" {
		opts.BaseEndpoint = aws.String(cfg.Endpoint)
	}
	return &Client{cfg: cfg, poolName: name, api: cip.New(opts)}, nil
}

// neverRetry refuses retries of answers that a retry cannot change and that
// would only burn attempts toward Cognito's lockout, and of our own errors.
func neverRetry(err error) aws.Ternary {
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "NotAuthorizedException", CodeInvalidParameter, CodeInvalidServerResponse:
			return aws.FalseTernary
		}
	}
	return aws.UnknownTernary
}

func checkName(field, v string, max int) error {
	if v == "" {
		return paramErr(field, "is required")
	}
	if len(v) > max {
		return paramErr(field, "is longer than %d bytes", max)
	}
	return nil
}

func isRegion(s string) bool {
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' {
			return false
		}
	}
	return s != ""
}

func isAlnum(s string) bool {
	for _, c := range []byte(s) {
		if !isAlnumByte(c) {
			return false
		}
	}
	return true
}

func isAlnumByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// secretHash returns SECRET_HASH for username, or "" when the client has no secret.
func (c *Client) secretHash(username string) string {
	if c.cfg.ClientSecret == "" {
		return ""
	}
	return srp.SecretHash(username, c.cfg.ClientID, c.cfg.ClientSecret)
}
