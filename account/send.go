package account

import (
	"context"
	"encoding/json"
)

// opNeeds says what Send adds to an operation's request.
type opNeeds uint8

const (
	needClient       opNeeds = 1 << iota // ClientId
	needSecretHash                       // SecretHash over Username, when the client has a secret
	needClientSecret                     // ClientSecret itself, when the client has one
	needAccessToken                      // AccessToken
)

// needsOf says what op needs; 0 for an operation Send does not carry (only
// the public, no-IAM ones around sign-in). A switch rather than a map: no
// table built at start-up.
func needsOf(op string) opNeeds {
	switch op {
	case "SignUp", "ConfirmSignUp", "ResendConfirmationCode", "ForgotPassword", "ConfirmForgotPassword":
		return needClient | needSecretHash
	case "ChangePassword", "GetUser", "UpdateUserAttributes", "VerifyUserAttribute", "GetUserAttributeVerificationCode",
		"DeleteUserAttributes", "DeleteUser", "SetUserMFAPreference", "AssociateSoftwareToken", "VerifySoftwareToken", "GlobalSignOut":
		return needAccessToken
	case "GetTokensFromRefreshToken", "RevokeToken":
		return needClient | needClientSecret
	}
	return 0
}

// NeedsAccessToken reports whether Send's op acts for a signed-in user.
func NeedsAccessToken(op string) bool { return needsOf(op)&needAccessToken != 0 }

// Send sends op with req, a request as Cognito's JSON has it, after adding
// what the operation needs from this client: ClientId, SecretHash over
// req's Username, ClientSecret, and accessToken as AccessToken (required
// for the operations that act for a signed-in user, ignored otherwise).
// What it adds replaces what req had. It answers Cognito's JSON as it
// came. It is the one path of the wasm module, whose JavaScript shim builds
// the requests and reads the answers: a typed method per operation, like
// the others in this package, costs the module several KB each.
func (c *Client) Send(ctx context.Context, op string, req map[string]any, accessToken string) (json.RawMessage, error) {
	needs := needsOf(op)
	if needs == 0 {
		return nil, paramErr("operation", "must be one of the account operations, not "+quote(op))
	}
	if req == nil {
		req = map[string]any{}
	}
	if needs&needClient != 0 {
		req["ClientId"] = c.cfg.ClientID
	}
	if needs&needSecretHash != 0 {
		username, _ := req["Username"].(string)
		if err := checkUsername(username); err != nil {
			return nil, err
		}
		if h := c.secretHash(username); h != "" {
			req["SecretHash"] = h
		}
	}
	if needs&needClientSecret != 0 && c.cfg.ClientSecret != "" {
		req["ClientSecret"] = c.cfg.ClientSecret
	}
	if needs&needAccessToken != 0 {
		if err := checkAccessToken(accessToken); err != nil {
			return nil, err
		}
		req["AccessToken"] = accessToken
	}
	var out json.RawMessage
	if err := c.call(ctx, op, req, &out); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		out = json.RawMessage("{}")
	}
	return out, nil
}

// quote bounds a caller's value for an error message.
func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "..."
	}
	b, _ := json.Marshal(s)
	return string(b)
}
