// Package account runs the Cognito user-pool operations around sign-in:
// sign-up and its confirmation, password reset and change, the user's
// attributes and their verification, MFA preferences and TOTP setup,
// deleting the user, and the token operations (refresh, revoke, global
// sign-out). It keeps no state: the caller passes the access or refresh
// token each call needs (the session package keeps them).
//
// Every call goes through internal/cognitorpc, not the SDK client: each SDK
// operation linked into the wasm module costs about 5 KB of brotli. Errors
// read the same either way: Cognito's exception as a smithy.APIError, and a
// bad argument, refused before anything is sent, as a *signin.ParamError
// (code InvalidParameterException) naming the field.
package account

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cognito-wasm/cognito-wasm/internal/cognitorpc"
	"github.com/cognito-wasm/cognito-wasm/signin"
	"github.com/cognito-wasm/cognito-wasm/srp"
)

// Config says which app client to act for and where Cognito is; the
// fields mean what they mean in signin.Config and are checked the same way.
type Config struct {
	UserPoolID   string // required
	ClientID     string // required
	ClientSecret string // only for app clients that have one
	Region       string // defaults to the pool ID's prefix
	Endpoint     string // custom endpoint (emulator); default is Cognito's
	// HTTPClient sends the requests; required in the wasm build (its fetch
	// client), natively nil means a plain client without a cookie jar.
	HTTPClient cognitorpc.HTTPClient
}

// Client calls the account operations for one app client. It is safe for
// concurrent use.
type Client struct {
	cfg Config
	rpc *cognitorpc.Client
}

// New checks cfg as signin.New does and prepares the call path.
func New(cfg Config) (*Client, error) {
	sc, err := signin.CheckConfig(signin.Config{UserPoolID: cfg.UserPoolID, ClientID: cfg.ClientID,
		ClientSecret: cfg.ClientSecret, Region: cfg.Region, Endpoint: cfg.Endpoint})
	if err != nil {
		return nil, err
	}
	cfg.Region = sc.Region
	rpc, err := cognitorpc.New(cognitorpc.Config{Region: cfg.Region, Endpoint: cfg.Endpoint, HTTPClient: cfg.HTTPClient})
	if err != nil {
		return nil, &signin.ParamError{Field: "HTTPClient", Problem: "is required here: " + err.Error()}
	}
	return &Client{cfg: cfg, rpc: rpc}, nil
}

// call sends op; nothing is retried (see cognitorpc).
func (c *Client) call(ctx context.Context, op string, in, out any) error {
	return c.rpc.Call(ctx, op, in, out)
}

// secretHash is SECRET_HASH over username, or "" for a client without a secret.
func (c *Client) secretHash(username string) string {
	if c.cfg.ClientSecret == "" {
		return ""
	}
	return srp.SecretHash(username, c.cfg.ClientID, c.cfg.ClientSecret)
}

// Attribute is one user attribute as Cognito sends it.
type Attribute struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// CodeDeliveryDetails says where a code was sent (the destination masked).
type CodeDeliveryDetails struct {
	Destination    string `json:"Destination,omitempty"`
	DeliveryMedium string `json:"DeliveryMedium,omitempty"` // SMS | EMAIL
	AttributeName  string `json:"AttributeName,omitempty"`
}

// Bounds on arguments, from Cognito's own constraints where it has them.
const (
	maxCodeLen      = 2048 // ConfirmationCode, UserCode (Cognito: [\S]+, up to 2048)
	maxAttrNameLen  = 32   // AttributeType.Name (Cognito: 1-32)
	maxAttrValueLen = 2048 // AttributeType.Value
	maxDeviceKeyLen = 55
	maxDeviceName   = 256
	maxTokenLen     = signin.MaxValueLen
	maxAttrCount    = signin.MaxMapEntries
)

func paramErr(field, problem string) error {
	return &signin.ParamError{Field: field, Problem: problem}
}

// checkString bounds a string and refuses text JSON could not carry.
func checkString(field, v string, max int, required bool) error {
	switch {
	case v == "" && required:
		return paramErr(field, "is required")
	case len(v) > max:
		return paramErr(field, "is longer than "+strconv.Itoa(max)+" bytes")
	case !utf8.ValidString(v):
		return paramErr(field, "is not valid UTF-8")
	}
	return nil
}

// checkCode checks a one-time code: required, no whitespace, bounded.
func checkCode(field, v string) error {
	if err := checkString(field, v, maxCodeLen, true); err != nil {
		return err
	}
	if strings.ContainsFunc(v, unicode.IsSpace) {
		return paramErr(field, "must not contain whitespace")
	}
	return nil
}

func checkUsername(v string) error { return checkString("Username", v, signin.MaxUsernameLen, true) }

func checkPassword(field, v string) error {
	return checkString(field, v, signin.MaxPasswordLen, true)
}

func checkAccessToken(v string) error { return checkString("AccessToken", v, maxTokenLen, true) }

// checkAttrName checks an attribute name (Cognito: 1-32 characters, no spaces).
func checkAttrName(field, name string) error {
	if name == "" {
		return paramErr(field, "has an empty attribute name")
	}
	if utf8.RuneCountInString(name) > maxAttrNameLen || !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsSpace) {
		return paramErr(field, "has an invalid attribute name (1-32 characters, no spaces)")
	}
	return nil
}

// checkMap bounds a caller's string map (ClientMetadata, ValidationData).
func checkMap(field string, m map[string]string) error {
	if len(m) > signin.MaxMapEntries {
		return paramErr(field, "has "+strconv.Itoa(len(m))+" entries, more than the "+strconv.Itoa(signin.MaxMapEntries)+" allowed")
	}
	for k, v := range m {
		if k == "" || len(k) > signin.MaxKeyLen || !utf8.ValidString(k) {
			return paramErr(field, "has a key that is empty, longer than "+strconv.Itoa(signin.MaxKeyLen)+" bytes or not UTF-8")
		}
		if err := checkString(field+"."+k, v, signin.MaxValueLen, false); err != nil {
			return err
		}
	}
	return nil
}

// attributes checks m and returns it as Cognito's list, sorted by name so
// that requests are reproducible.
func attributes(field string, m map[string]string, required bool) ([]Attribute, error) {
	if len(m) == 0 {
		if required {
			return nil, paramErr(field, "is required")
		}
		return nil, nil
	}
	if len(m) > signin.MaxMapEntries {
		return nil, paramErr(field, "has "+strconv.Itoa(len(m))+" entries, more than the "+strconv.Itoa(signin.MaxMapEntries)+" allowed")
	}
	out := make([]Attribute, 0, len(m))
	for k, v := range m {
		if err := checkAttrName(field, k); err != nil {
			return nil, err
		}
		if err := checkString(field+"."+k, v, maxAttrValueLen, false); err != nil {
			return nil, err
		}
		out = append(out, Attribute{Name: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
