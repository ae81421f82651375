package emulator

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// verifyJWT checks tok against the emulator's published JWKS and returns its claims.
func (h *harness) verifyJWT(poolID, tok string) map[string]any {
	h.t.Helper()
	resp, err := h.srv.Client().Get(h.srv.URL + "/" + poolID + "/.well-known/jwks.json")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		h.t.Fatalf("jwks: %v", err)
	}
	jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		h.t.Fatalf("ParseSigned(%q) = %v", tok, err)
	}
	keys := set.Key(jws.Signatures[0].Header.KeyID)
	if len(keys) != 1 {
		h.t.Fatalf("kid %q: %d keys in JWKS; want 1", jws.Signatures[0].Header.KeyID, len(keys))
	}
	payload, err := jws.Verify(keys[0].Key)
	if err != nil {
		h.t.Fatalf("Verify() = %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		h.t.Fatal(err)
	}
	return claims
}

func TestSRPSignIn(t *testing.T) {
	h := demoHarness(t)
	tests := []struct {
		name, pool, client, typed, password string
		wantUserID                          string // "" = a UUID
		wantEmail                           string
	}{
		{"username", demoPool, demoClient, "alice", demoPass, "alice", "alice@example.com"},
		{"verified email alias", demoPool, demoClient, "alice@example.com", demoPass, "alice", "alice@example.com"},
		{"non-ASCII name and password", demoPool, demoClient, "Zoë", "Pässwörd!1Ω", "Zoë", ""},
		{"email username attribute", "us-east-1_cwEmail01", "emailpoolclient0000000001", "carol@example.com", "Carol!pass9", "", "carol@example.com"},
		{"email username, other case", "us-east-1_cwEmail01", "emailpoolclient0000000001", "Carol@Example.COM", "Carol!pass9", "", "carol@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ch := h.srpStart(tt.client, tt.typed, nil)
			if ch.status != http.StatusOK || ch.str("ChallengeName") != "PASSWORD_VERIFIER" {
				t.Fatalf("InitiateAuth(%q) = %d %s %s; want PASSWORD_VERIFIER", tt.typed, ch.status, ch.errType(), ch.message())
			}
			userID := ch.str("ChallengeParameters", "USER_ID_FOR_SRP")
			if tt.wantUserID != "" && userID != tt.wantUserID {
				t.Errorf("USER_ID_FOR_SRP for %q = %q; want %q", tt.typed, userID, tt.wantUserID)
			}
			if tt.wantUserID == "" && !uuidPattern.MatchString(userID) {
				t.Errorf("USER_ID_FOR_SRP for %q = %q; want a UUID username", tt.typed, userID)
			}
			if got := ch.str("ChallengeParameters", "USERNAME"); got != userID {
				t.Errorf("USERNAME = %q; want USER_ID_FOR_SRP %q", got, userID)
			}
			for _, k := range []string{"SALT", "SRP_B", "SECRET_BLOCK"} {
				if ch.str("ChallengeParameters", k) == "" {
					t.Errorf("challenge parameter %s missing", k)
				}
			}
			res := h.srpAnswer(c, tt.pool, tt.client, tt.password, ch, h.clock.Now(), nil)
			if res.status != http.StatusOK {
				t.Fatalf("RespondToAuthChallenge = %d %s %s; want 200", res.status, res.errType(), res.message())
			}
			if got := res.str("AuthenticationResult", "TokenType"); got != "Bearer" {
				t.Errorf("TokenType = %q; want Bearer", got)
			}
			if got := res.body["AuthenticationResult"].(map[string]any)["ExpiresIn"]; got != float64(3600) {
				t.Errorf("ExpiresIn = %v; want 3600", got)
			}
			if res.str("AuthenticationResult", "RefreshToken") == "" {
				t.Errorf("RefreshToken missing")
			}
			id := h.verifyJWT(tt.pool, res.str("AuthenticationResult", "IdToken"))
			access := h.verifyJWT(tt.pool, res.str("AuthenticationResult", "AccessToken"))
			iss := "https://cognito-idp.us-east-1.amazonaws.com/" + tt.pool
			wantID := map[string]any{"token_use": "id", "aud": tt.client, "iss": iss, "cognito:username": userID}
			if tt.wantEmail != "" {
				wantID["email"] = tt.wantEmail
			}
			for k, want := range wantID {
				if id[k] != want {
					t.Errorf("id token %s = %v; want %v", k, id[k], want)
				}
			}
			wantAccess := map[string]any{"token_use": "access", "client_id": tt.client, "iss": iss, "username": userID,
				"scope": "aws.cognito.signin.user.admin", "sub": id["sub"], "origin_jti": id["origin_jti"], "event_id": id["event_id"]}
			for k, want := range wantAccess {
				if access[k] != want {
					t.Errorf("access token %s = %v; want %v", k, access[k], want)
				}
			}
			for _, k := range []string{"auth_time", "exp", "iat", "jti", "origin_jti", "event_id", "sub"} {
				if id[k] == nil || access[k] == nil {
					t.Errorf("claim %s missing (id %v, access %v)", k, id[k], access[k])
				}
			}
			if got := access["exp"].(float64) - access["iat"].(float64); got != 3600 {
				t.Errorf("access exp - iat = %v; want 3600", got)
			}
			if id["jti"] == access["jti"] {
				t.Errorf("id and access tokens share jti %v", id["jti"])
			}
		})
	}
}

func TestEmailVerifiedIsBoolean(t *testing.T) {
	h := demoHarness(t)
	res := h.srpSignIn(demoPool, demoClient, "alice", demoPass)
	id := h.verifyJWT(demoPool, res.str("AuthenticationResult", "IdToken"))
	if id["email_verified"] != true {
		t.Errorf("id token email_verified = %#v; want true (a JSON boolean)", id["email_verified"])
	}
}

// TestSRPRefused covers every way a PASSWORD_VERIFIER answer can be wrong;
// Cognito answers them all alike.
func TestSRPRefused(t *testing.T) {
	h := demoHarness(t)
	type answer struct {
		password string
		now      time.Duration // signing time relative to the emulator's clock
		mutate   func(resp map[string]string)
	}
	tests := []struct {
		name     string
		answer   answer
		wantType string
		wantMsg  string
	}{
		{"wrong password", answer{password: "Wrong!Pass1"}, "NotAuthorizedException", "Incorrect username or password."},
		{"timestamp too old", answer{password: demoPass, now: -10 * time.Minute}, "NotAuthorizedException", "Incorrect username or password."},
		{"timestamp in the future", answer{password: demoPass, now: 10 * time.Minute}, "NotAuthorizedException", "Incorrect username or password."},
		{"padded day", answer{password: demoPass, mutate: func(r map[string]string) {
			r["TIMESTAMP"] = strings.Replace(r["TIMESTAMP"], " 7 ", " 07 ", 1)
		}}, "NotAuthorizedException", "Incorrect username or password."},
		{"tampered signature", answer{password: demoPass, mutate: func(r map[string]string) {
			r["PASSWORD_CLAIM_SIGNATURE"] = "AAAA" + r["PASSWORD_CLAIM_SIGNATURE"][4:]
		}}, "NotAuthorizedException", "Incorrect username or password."},
		{"signature not base64", answer{password: demoPass, mutate: func(r map[string]string) {
			r["PASSWORD_CLAIM_SIGNATURE"] = "!!not base64!!"
		}}, "NotAuthorizedException", "Incorrect username or password."},
		{"other secret block", answer{password: demoPass, mutate: func(r map[string]string) {
			r["PASSWORD_CLAIM_SECRET_BLOCK"] = "c29tZXRoaW5nIGVsc2U="
		}}, "NotAuthorizedException", "Incorrect username or password."},
		{"other user", answer{password: demoPass, mutate: func(r map[string]string) { r["USERNAME"] = "bob" }},
			"NotAuthorizedException", "Invalid session for the user."},
		{"missing timestamp", answer{password: demoPass, mutate: func(r map[string]string) { delete(r, "TIMESTAMP") }},
			"InvalidParameterException", "Missing required parameter TIMESTAMP"},
		{"missing signature", answer{password: demoPass, mutate: func(r map[string]string) { delete(r, "PASSWORD_CLAIM_SIGNATURE") }},
			"InvalidParameterException", "Missing required parameter PASSWORD_CLAIM_SIGNATURE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ch := h.srpStart(demoClient, "alice", nil)
			poolName, _ := srp.PoolName(demoPool)
			p := ch.body["ChallengeParameters"].(map[string]any)
			claim, err := c.PasswordClaim(srp.ClaimInput{PoolName: poolName, UserID: "alice", Password: tt.answer.password,
				Salt: p["SALT"].(string), SRPB: p["SRP_B"].(string), SecretBlock: p["SECRET_BLOCK"].(string),
				Now: h.clock.Now().Add(tt.answer.now)})
			if err != nil {
				t.Fatal(err)
			}
			resp := map[string]string{"USERNAME": "alice", "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"].(string),
				"TIMESTAMP": claim.Timestamp, "PASSWORD_CLAIM_SIGNATURE": claim.Signature}
			if tt.answer.mutate != nil {
				tt.answer.mutate(resp)
			}
			got := h.call("RespondToAuthChallenge", m{"ClientId": demoClient, "ChallengeName": "PASSWORD_VERIFIER",
				"Session": ch.str("Session"), "ChallengeResponses": resp}, false)
			if got.status != http.StatusBadRequest || got.errType() != tt.wantType || got.message() != tt.wantMsg {
				t.Errorf("RespondToAuthChallenge(%s) = %d %s %q; want 400 %s %q", tt.name, got.status, got.errType(), got.message(), tt.wantType, tt.wantMsg)
			}
			if got.header.Get("X-Amzn-ErrorType") != tt.wantType {
				t.Errorf("X-Amzn-ErrorType = %q; want %q", got.header.Get("X-Amzn-ErrorType"), tt.wantType)
			}
			h.emu.lockout.succeed(lockKey(demoPool, "alice")) // keep failures from piling into a lockout
		})
	}
}

func TestSessions(t *testing.T) {
	h := demoHarness(t)
	tests := []struct {
		name    string
		answer  func(c *srp.Client, ch response) response
		wantMsg string
	}{
		{"reused session", func(c *srp.Client, ch response) response {
			if r := h.srpAnswer(c, demoPool, demoClient, demoPass, ch, h.clock.Now(), nil); r.status != http.StatusOK {
				t.Fatalf("first answer = %d %s; want 200", r.status, r.message())
			}
			return h.srpAnswer(c, demoPool, demoClient, demoPass, ch, h.clock.Now(), nil)
		}, "Invalid session for the user."},
		{"expired session", func(c *srp.Client, ch response) response {
			h.clock.Advance(3*time.Minute + time.Second)
			return h.srpAnswer(c, demoPool, demoClient, demoPass, ch, h.clock.Now(), nil)
		}, "Invalid session for the user."},
		{"other client", func(c *srp.Client, ch response) response {
			return h.srpAnswer(c, demoPool, "srponlyclient000000000001", demoPass, ch, h.clock.Now(), nil)
		}, "Invalid session for the user."},
		{"unknown session", func(c *srp.Client, ch response) response {
			ch.body["Session"] = "bm90IGEgc2Vzc2lvbg"
			return h.srpAnswer(c, demoPool, demoClient, demoPass, ch, h.clock.Now(), nil)
		}, "Invalid session for the user."},
		{"no session string (secret block finds it)", func(c *srp.Client, ch response) response {
			delete(ch.body, "Session")
			return h.srpAnswer(c, demoPool, demoClient, demoPass, ch, h.clock.Now(), nil)
		}, ""},
		{"just before expiry", func(c *srp.Client, ch response) response {
			h.clock.Advance(3*time.Minute - time.Second)
			return h.srpAnswer(c, demoPool, demoClient, demoPass, ch, h.clock.Now(), nil)
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ch := h.srpStart(demoClient, "alice", nil)
			got := tt.answer(c, ch)
			if tt.wantMsg == "" {
				if got.status != http.StatusOK || got.str("AuthenticationResult", "IdToken") == "" {
					t.Errorf("RespondToAuthChallenge(%s) = %d %s %q; want tokens", tt.name, got.status, got.errType(), got.message())
				}
				return
			}
			if got.errType() != "NotAuthorizedException" || got.message() != tt.wantMsg {
				t.Errorf("RespondToAuthChallenge(%s) = %d %s %q; want NotAuthorizedException %q", tt.name, got.status, got.errType(), got.message(), tt.wantMsg)
			}
		})
	}
}

func TestSessionCap(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 7, 15, 4, 5, 0, time.UTC)}
	s := newSessionStore(3)
	for i := range 5 {
		s.put(&session{id: string(rune('a' + i)), expires: c.Now().Add(time.Duration(i+1) * time.Minute)}, c.Now())
	}
	if got := s.len(); got != 3 {
		t.Errorf("sessions after 5 puts with cap 3 = %d; want 3", got)
	}
	if got := s.claim("a", "", c.Now()); got != nil {
		t.Errorf("claim(oldest) = %v; want nil (evicted)", got.id)
	}
	if got := s.claim("e", "", c.Now()); got == nil {
		t.Errorf("claim(newest) = nil; want the session")
	}
}
