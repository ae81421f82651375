package session

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// JWT is a token and its payload. The payload is only decoded, never
// verified: these are the app's own tokens, fresh from Cognito or from its
// storage; servers verify them (README: verifying tokens).
type JWT struct {
	Raw     string // the token as Cognito issued it
	Payload []byte // its payload, JSON
	claims
}

// claims are the payload members the session reads.
type claims struct {
	Exp             int64  `json:"exp"`
	Iat             int64  `json:"iat"`
	Sub             string `json:"sub"`
	Username        string `json:"username"`         // access token
	CognitoUsername string `json:"cognito:username"` // id token
	OriginJTI       string `json:"origin_jti"`       // revocable session
}

// errMalformed never carries the token.
var errMalformed = errors.New("session: token is not a JWT with exp and iat")

// maxToken bounds a token read from storage or the server.
const maxToken = 16 << 10

func parseJWT(raw string) (*JWT, error) {
	parts := strings.Split(raw, ".")
	if len(raw) > maxToken || len(parts) != 3 {
		return nil, errMalformed
	}
	p, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, errMalformed
	}
	t := &JWT{Raw: raw, Payload: p}
	if json.Unmarshal(p, &t.claims) != nil || t.Exp == 0 || t.Iat == 0 {
		return nil, errMalformed
	}
	return t, nil
}

// expiresWithin reports whether t expires before serverNow+window.
func (t *JWT) expiresWithin(serverNow time.Time, window time.Duration) bool {
	return !serverNow.Add(window).Before(time.Unix(t.Exp, 0))
}

// window is how long before expiry t counts as expiring: RefreshBefore, or a
// quarter of a short token's lifetime.
func (t *JWT) window() time.Duration {
	w := time.Duration(t.Exp-t.Iat) * time.Second / 4
	return min(w, RefreshBefore)
}
