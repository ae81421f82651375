package account

import (
	"bytes"
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
		"DeleteUserAttributes", "DeleteUser", "SetUserMFAPreference", "AssociateSoftwareToken", "VerifySoftwareToken", "GlobalSignOut",
		"StartWebAuthnRegistration", "CompleteWebAuthnRegistration", "ListWebAuthnCredentials", "DeleteWebAuthnCredential":
		return needAccessToken
	case "GetTokensFromRefreshToken", "RevokeToken":
		return needClient | needClientSecret
	}
	return 0
}

// Send sends op with request, Cognito's request as JSON text (an object;
// empty means {}), after adding what the operation needs from this client:
// ClientId, SecretHash over the request's Username, ClientSecret, and the
// access token as AccessToken: accessToken is called for the operations
// that act for a signed-in user, and only for them (the session refreshes
// the token when due). A request that carries one of these itself is refused:
// they are this client's to set. It answers Cognito's JSON as it came.
//
// It is the one path of the wasm module, whose JavaScript shim builds the
// requests and reads the answers: a typed method per operation, like the
// others in this package, costs the module several KB each, and this one
// splices text rather than decoding the request into a map.
func (c *Client) Send(ctx context.Context, op string, request []byte, accessToken func(context.Context) (string, error)) (json.RawMessage, error) {
	needs := needsOf(op)
	if needs == 0 {
		return nil, paramErr("operation", "must be one of the account operations (SignUp ... GlobalSignOut)")
	}
	request = bytes.TrimSpace(request)
	if len(request) == 0 {
		request = []byte("{}")
	}
	var peek struct {
		Username                                        string
		ClientId, SecretHash, ClientSecret, AccessToken json.RawMessage
	}
	if request[0] != '{' || json.Unmarshal(request, &peek) != nil {
		return nil, paramErr("request", "must be the JSON text of an object (with Username a string)")
	}
	if peek.ClientId != nil || peek.SecretHash != nil || peek.ClientSecret != nil || peek.AccessToken != nil {
		return nil, paramErr("request", "must not carry ClientId, SecretHash, ClientSecret or AccessToken: the client adds them")
	}
	// The fields added, as JSON members: {"ClientId":"x"} and {"Username":"a"}
	// make {"ClientId":"x","Username":"a"}.
	var head []byte
	member := func(name, v string) {
		if v != "" {
			q, _ := json.Marshal(v)
			head = append(append(append(append(head, ",\""...), name...), "\":"...), q...)
		}
	}
	if needs&needClient != 0 {
		member("ClientId", c.cfg.ClientID)
	}
	if needs&needSecretHash != 0 {
		if err := checkUsername(peek.Username); err != nil {
			return nil, err
		}
		member("SecretHash", c.secretHash(peek.Username))
	}
	if needs&needClientSecret != 0 {
		member("ClientSecret", c.cfg.ClientSecret)
	}
	if needs&needAccessToken != 0 {
		token := ""
		if accessToken != nil {
			t, err := accessToken(ctx)
			if err != nil {
				return nil, err
			}
			token = t
		}
		if err := checkAccessToken(token); err != nil {
			return nil, err
		}
		member("AccessToken", token)
	}
	body := request
	if len(head) > 0 {
		head[0] = '{'
		if rest := bytes.TrimSpace(request[1:]); rest[0] == '}' {
			body = append(head, '}')
		} else {
			body = append(append(head, ','), request[1:]...)
		}
	}
	var out json.RawMessage
	if err := c.call(ctx, op, json.RawMessage(body), &out); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		out = json.RawMessage("{}")
	}
	return out, nil
}
