package signin

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognito-wasm/cognito-wasm/internal/cognitorpc"
	"github.com/cognito-wasm/cognito-wasm/srp"
)

// API is the slice of Cognito the engine calls, with the SDK's own input and
// output types. *cognitoidentityprovider.Client satisfies it; tests may pass
// a scripted one for what a real server cannot produce.
type API interface {
	InitiateAuth(context.Context, *cip.InitiateAuthInput, ...func(*cip.Options)) (*cip.InitiateAuthOutput, error)
	RespondToAuthChallenge(context.Context, *cip.RespondToAuthChallengeInput, ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error)
}

var _ API = (*cip.Client)(nil)

// Config says which pool and app client to talk to and how.
type Config struct {
	UserPoolID   string // "us-east-1_AbC123"; required
	ClientID     string // app client ID; required
	ClientSecret string // only for app clients that have one
	Region       string // defaults to the pool ID's prefix
	Endpoint     string // custom endpoint (emulator); default is Cognito's
	HTTPClient   cip.HTTPClient
	// Credentials sign the Admin operations with SigV4 (for Node and other
	// trusted contexts, never a browser). nil: anonymous, and Admin calls
	// are refused before anything is sent.
	Credentials aws.CredentialsProvider
	// API replaces the SDK client built from the fields above (scripted tests).
	API    API
	Now    func() time.Time // signing time for TIMESTAMP; default time.Now
	Random io.Reader        // SRP ephemerals; default crypto/rand
	// Compute, when set, runs each SRP computation (a few 3072-bit modular
	// exponentiations). The wasm build passes one that runs them one at a
	// time and lets the JavaScript event loop turn after each, so that many
	// sign-ins in one page do not starve fetch of the thread. nil runs the
	// work directly.
	Compute func(ctx context.Context, work func()) error
	// Background, when set, is awaited by each background build of an
	// ephemeral before it computes. The wasm build passes one that lets the
	// JavaScript event loop turn once: Go on wasm returns the page's thread
	// only when every goroutine blocks, so without it the call that made the
	// client (or ended a sign-in) would settle only after g^a was built.
	Background func(ctx context.Context) error
	// OneShot says the client serves a single call (the wasm module's raw
	// calls build a client per call): no SRP ephemeral is prepared ahead
	// for a next sign-in that will never come. By default a client keeps
	// one ready, built in the background (through Compute), so a sign-in
	// does not wait for g^a.
	OneShot bool
}

// Client runs sign-in flows for one app client. It keeps no per-user state
// (a sign-in in progress lives in the *Pending the caller holds) and is safe
// for concurrent use.
type Client struct {
	cfg      Config
	poolName string
	api      API
	eph      *ephemerals
	// rpc sends TOTP setup's AssociateSoftwareToken and VerifySoftwareToken:
	// two small JSON calls instead of two SDK operations (about 15 KB of the
	// module's brotli size).
	rpc *cognitorpc.Client
	// admin sends AdminInitiateAuth and AdminRespondToAuthChallenge signed
	// with Config.Credentials; nil without them.
	admin *cognitorpc.Client
	// retryer holds the SDK client's retry rules (never NotAuthorizedException,
	// see neverRetry) and its retry quota, shared by InitiateAuth and
	// AdminInitiateAuth as the SDK client shared them.
	retryer aws.Retryer
}

// CheckConfig checks the fields that say where to send requests and for
// which app client (UserPoolID, ClientID, ClientSecret, Region, Endpoint)
// and returns cfg with Region defaulted from the pool ID. New calls it;
// other packages that talk to the same client (account) call it too, so
// that both refuse the same values with the same ParamError.
func CheckConfig(cfg Config) (Config, error) {
	if err := checkString("UserPoolId", cfg.UserPoolID, 55, true); err != nil {
		return Config{}, err
	}
	region, name, ok := strings.Cut(cfg.UserPoolID, "_")
	if !ok || region == "" || name == "" || !isRegion(region) || !isAlnum(name) {
		return Config{}, paramErr("UserPoolId", "must look like <region>_<name>, e.g. us-east-1_AbC123")
	}
	if err := checkString("ClientId", cfg.ClientID, maxNameLen, true); err != nil {
		return Config{}, err
	}
	for _, c := range []byte(cfg.ClientID) {
		if !isAlnumByte(c) && c != '_' && c != '+' {
			return Config{}, paramErr("ClientId", "may hold only letters, digits, '_' and '+'")
		}
	}
	if err := checkString("ClientSecret", cfg.ClientSecret, maxSecretLen, false); err != nil {
		return Config{}, err
	}
	if cfg.Region == "" {
		cfg.Region = region
	} else if len(cfg.Region) > 32 || !isRegion(cfg.Region) {
		return Config{}, paramErr("Region", "must be a region name such as us-east-1")
	}
	if cfg.Endpoint != "" {
		if err := checkString("Endpoint", cfg.Endpoint, maxEndpoint, true); err != nil {
			return Config{}, err
		}
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Config{}, paramErr("Endpoint", "must be an absolute http or https URL")
		}
	}
	return cfg, nil
}

// New validates cfg and builds the SDK client: the caller's credentials (the
// SDK signs only the Admin operations; the others are anonymous by their
// definition), a retryer that never retries NotAuthorizedException, and
// cfg.Endpoint as the base endpoint when set.
func New(cfg Config) (*Client, error) {
	cfg, err := CheckConfig(cfg)
	if err != nil {
		return nil, err
	}
	_, name, _ := strings.Cut(cfg.UserPoolID, "_")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Compute == nil {
		cfg.Compute = func(_ context.Context, work func()) error { work(); return nil }
	}
	c := &Client{cfg: cfg, poolName: name, api: cfg.API}
	c.eph = newEphemerals(c.backgroundSRP, !cfg.OneShot)
	if c.rpc, err = cognitorpc.New(cognitorpc.Config{Region: cfg.Region, Endpoint: cfg.Endpoint, HTTPClient: cfg.HTTPClient}); err != nil {
		return nil, paramErr("HTTPClient", "is required here: %v", err)
	}
	if cfg.Credentials != nil {
		// Over c.rpc's HTTP client: cfg.HTTPClient, or the build's default.
		signed := &sigv4Client{hc: c.rpc.HTTPClient(), creds: cfg.Credentials, region: cfg.Region, signer: v4.NewSigner()}
		if c.admin, err = cognitorpc.New(cognitorpc.Config{Region: cfg.Region, Endpoint: cfg.Endpoint, HTTPClient: signed}); err != nil {
			return nil, paramErr("HTTPClient", "is required here: %v", err)
		}
	}
	c.retryer = retry.NewStandard(func(o *retry.StandardOptions) {
		o.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(neverRetry)}, o.Retryables...)
	})
	if c.api == nil {
		// InitiateAuth and RespondToAuthChallenge go through c.rpc under the
		// retry rules the SDK client applied to them (see defaultAPI).
		c.api = &defaultAPI{rpc: c.rpc, retryer: c.retryer}
	}
	return c, nil
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

// Unsent is implemented by transport errors that know whether the request
// could have reached the server (jsbridge's fetch errors do).
type Unsent interface {
	RequestNotSent() bool
}

// NotSent reports whether err proves that the request never left: a
// transport that says so, or a failed dial. Anything else may have reached
// the server.
func NotSent(err error) bool {
	var u Unsent
	if errors.As(err, &u) {
		return u.RequestNotSent()
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// onceOnly is the retry policy of operations that spend a single-use
// session (RespondToAuthChallenge, AdminRespondToAuthChallenge,
// VerifySoftwareToken and AssociateSoftwareToken with a Session): a resent
// answer that reached the server the first time is refused ("Invalid
// session for the user."), and the sign-in is lost. So only a request that
// provably never left is sent again.
var onceOnly = retry.NewStandard(func(o *retry.StandardOptions) {
	o.Retryables = []retry.IsErrorRetryable{retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
		return aws.BoolTernary(NotSent(err))
	})}
})

// sendOnce is the per-call option that applies onceOnly.
func sendOnce(o *cip.Options) { o.Retryer = onceOnly }

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

// addSecretHash sets SECRET_HASH over username unless the client has no
// secret or the caller already supplied one.
func (c *Client) addSecretHash(m map[string]string, username string) {
	if h := c.secretHash(username); h != "" && m["SECRET_HASH"] == "" {
		m["SECRET_HASH"] = h
	}
}

// StaticCredentials checks a fixed key pair (and optional session token)
// and returns it as a provider for Config.Credentials.
func StaticCredentials(accessKeyID, secretAccessKey, sessionToken string) (aws.CredentialsProvider, error) {
	if err := checkString("Credentials.AccessKeyId", accessKeyID, maxNameLen, true); err != nil {
		return nil, err
	}
	if err := checkString("Credentials.SecretAccessKey", secretAccessKey, maxSecretLen, true); err != nil {
		return nil, err
	}
	if err := checkString("Credentials.SessionToken", sessionToken, MaxValueLen, false); err != nil {
		return nil, err
	}
	creds := aws.Credentials{AccessKeyID: accessKeyID, SecretAccessKey: secretAccessKey, SessionToken: sessionToken, Source: "cognito-wasm static"}
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }), nil
}

// needCredentials refuses an Admin call without credentials: the SDK would
// otherwise send it unsigned.
func (c *Client) needCredentials() error {
	if c.cfg.Credentials == nil {
		return paramErr("Credentials", "are required for the Admin operations (signed with SigV4); use them only in trusted contexts, never in a browser")
	}
	return nil
}
