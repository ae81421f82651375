package emulator

import (
	"net/http"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

const (
	secretClient  = "secretclient0000000000001"
	secretValue   = "s3cr3tvalue0123456789abcdefghijklmnopqrstuvwxyz0123"
	srpOnlyClient = "srponlyclient000000000001"
	hiddenClient  = "hiddenusersclient00000001"
)

func (h *harness) passwordAuth(clientID string, params map[string]string) response {
	h.t.Helper()
	return h.call("InitiateAuth", m{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": clientID, "AuthParameters": params}, false)
}

func TestPasswordAuth(t *testing.T) {
	h := demoHarness(t)
	tests := []struct {
		name              string
		client            string
		params            map[string]string
		wantType, wantMsg string // "" = success
	}{
		{"username", demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}, "", ""},
		{"verified alias", demoClient, map[string]string{"USERNAME": "alice@example.com", "PASSWORD": demoPass}, "", ""},
		{"case-sensitive username by default", demoClient, map[string]string{"USERNAME": "Alice", "PASSWORD": demoPass}, "UserNotFoundException", "User does not exist."},
		{"unverified alias is not a sign-in name", demoClient, map[string]string{"USERNAME": "bob@example.com", "PASSWORD": "Hunter2!Bob"}, "UserNotFoundException", "User does not exist."},
		{"wrong password", demoClient, map[string]string{"USERNAME": "bob", "PASSWORD": "Hunter2!Bobx"}, "NotAuthorizedException", "Incorrect username or password."},
		{"unknown user, LEGACY", demoClient, map[string]string{"USERNAME": "mallory", "PASSWORD": "x"}, "UserNotFoundException", "User does not exist."},
		{"unknown user, ENABLED", hiddenClient, map[string]string{"USERNAME": "mallory", "PASSWORD": "x"}, "NotAuthorizedException", "Incorrect username or password."},
		{"flow not allowed", srpOnlyClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"},
		{"secret hash missing", secretClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}, "NotAuthorizedException", "Client " + secretClient + " is configured for secret but secret was not received"},
		{"secret hash wrong", secretClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass, "SECRET_HASH": srp.SecretHash("bob", secretClient, secretValue)}, "NotAuthorizedException", "Unable to verify secret hash for client " + secretClient},
		{"secret hash right", secretClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass, "SECRET_HASH": srp.SecretHash("alice", secretClient, secretValue)}, "", ""},
		{"secret hash over the typed alias", secretClient, map[string]string{"USERNAME": "alice@example.com", "PASSWORD": demoPass, "SECRET_HASH": srp.SecretHash("alice@example.com", secretClient, secretValue)}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.passwordAuth(tt.client, tt.params)
			if tt.wantType == "" {
				if got.status != http.StatusOK || got.str("AuthenticationResult", "AccessToken") == "" {
					t.Errorf("InitiateAuth(%v) = %d %s %q; want tokens", tt.params["USERNAME"], got.status, got.errType(), got.message())
				}
				return
			}
			if got.errType() != tt.wantType || got.message() != tt.wantMsg {
				t.Errorf("InitiateAuth(%v) = %s %q; want %s %q", tt.params["USERNAME"], got.errType(), got.message(), tt.wantType, tt.wantMsg)
			}
		})
	}
}

func TestSRPSecretHash(t *testing.T) {
	h := demoHarness(t)
	tests := []struct {
		name               string
		initHash, answHash string
		wantStep           string // which step fails: "init", "answer", ""
		wantMsg            string
	}{
		{"right at both steps", srp.SecretHash("alice@example.com", secretClient, secretValue), srp.SecretHash("alice", secretClient, secretValue), "", ""},
		{"missing at initiate", "", "", "init", "Client " + secretClient + " is configured for secret but secret was not received"},
		{"wrong at initiate", srp.SecretHash("alice", secretClient, "other"), "", "init", "Unable to verify secret hash for client " + secretClient},
		{"answer uses the typed alias, not USERNAME", srp.SecretHash("alice@example.com", secretClient, secretValue), srp.SecretHash("alice@example.com", secretClient, secretValue), "answer", "Unable to verify secret hash for client " + secretClient},
		{"missing at answer", srp.SecretHash("alice@example.com", secretClient, secretValue), "", "answer", "Client " + secretClient + " is configured for secret but secret was not received"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			extra := map[string]string{}
			if tt.initHash != "" {
				extra["SECRET_HASH"] = tt.initHash
			}
			c, ch := h.srpStart(secretClient, "alice@example.com", extra)
			if tt.wantStep == "init" {
				if ch.errType() != "NotAuthorizedException" || ch.message() != tt.wantMsg {
					t.Errorf("InitiateAuth = %s %q; want NotAuthorizedException %q", ch.errType(), ch.message(), tt.wantMsg)
				}
				return
			}
			if ch.status != http.StatusOK {
				t.Fatalf("InitiateAuth = %d %s %q; want 200", ch.status, ch.errType(), ch.message())
			}
			extra = map[string]string{}
			if tt.answHash != "" {
				extra["SECRET_HASH"] = tt.answHash
			}
			got := h.srpAnswer(c, demoPool, secretClient, demoPass, ch, h.clock.Now(), extra)
			if tt.wantStep == "" {
				if got.status != http.StatusOK {
					t.Errorf("RespondToAuthChallenge = %d %s %q; want 200", got.status, got.errType(), got.message())
				}
				return
			}
			if got.errType() != "NotAuthorizedException" || got.message() != tt.wantMsg {
				t.Errorf("RespondToAuthChallenge = %s %q; want NotAuthorizedException %q", got.errType(), got.message(), tt.wantMsg)
			}
		})
	}
}

func TestPreventUserExistenceErrors(t *testing.T) {
	h := demoHarness(t)
	tests := []struct {
		name, client, user string
		wantType           string // of the InitiateAuth answer; "" = a challenge
	}{
		{"LEGACY tells", demoClient, "mallory", "UserNotFoundException"},
		{"ENABLED simulates", hiddenClient, "mallory", ""},
		{"ENABLED real user", hiddenClient, "alice", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ch := h.srpStart(tt.client, tt.user, nil)
			if tt.wantType != "" {
				if ch.errType() != tt.wantType {
					t.Errorf("InitiateAuth(%q) = %s; want %s", tt.user, ch.errType(), tt.wantType)
				}
				return
			}
			if ch.str("ChallengeName") != "PASSWORD_VERIFIER" {
				t.Fatalf("InitiateAuth(%q) = %d %s; want PASSWORD_VERIFIER", tt.user, ch.status, ch.errType())
			}
			// Same salt every time for the same name.
			_, again := h.srpStart(tt.client, tt.user, nil)
			if a, b := ch.str("ChallengeParameters", "SALT"), again.str("ChallengeParameters", "SALT"); a != b {
				t.Errorf("SALT for %q changed between attempts: %q then %q", tt.user, a, b)
			}
			got := h.srpAnswer(c, demoPool, tt.client, "Anything!1a", ch, h.clock.Now(), nil)
			if got.errType() != "NotAuthorizedException" || got.message() != "Incorrect username or password." {
				t.Errorf("RespondToAuthChallenge(%q) = %s %q; want NotAuthorizedException", tt.user, got.errType(), got.message())
			}
		})
	}
	t.Run("different names, different salts", func(t *testing.T) {
		_, a := h.srpStart(hiddenClient, "mallory", nil)
		_, b := h.srpStart(hiddenClient, "trent", nil)
		if a.str("ChallengeParameters", "SALT") == b.str("ChallengeParameters", "SALT") {
			t.Errorf("simulated salts for two names are equal")
		}
	})
}

func TestLockout(t *testing.T) {
	h := demoHarness(t)
	wrong := map[string]string{"USERNAME": "bob", "PASSWORD": "Wrong!pass1"}
	right := map[string]string{"USERNAME": "bob", "PASSWORD": "Hunter2!Bob"}
	steps := []struct {
		name    string
		advance time.Duration
		params  map[string]string
		wantMsg string // "" = success
	}{
		{"fail 1", 0, wrong, "Incorrect username or password."},
		{"fail 2", 0, wrong, "Incorrect username or password."},
		{"fail 3", 0, wrong, "Incorrect username or password."},
		{"fail 4", 0, wrong, "Incorrect username or password."},
		{"fail 5 locks for 1s", 0, wrong, "Incorrect username or password."},
		{"locked, even with the right password", 0, right, "Password attempts exceeded"},
		{"after 1s, fail 6 locks for 2s", time.Second, wrong, "Incorrect username or password."},
		{"still locked after 1s", time.Second, right, "Password attempts exceeded"},
		{"free after 2s", time.Second, right, ""},
		{"counter was reset", 0, wrong, "Incorrect username or password."},
	}
	// The steps run in order: each depends on the failures before it.
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			h.clock.Advance(st.advance)
			got := h.passwordAuth(demoClient, st.params)
			if st.wantMsg == "" {
				if got.status != http.StatusOK {
					t.Errorf("InitiateAuth = %s %q; want tokens", got.errType(), got.message())
				}
				return
			}
			if got.errType() != "NotAuthorizedException" || got.message() != st.wantMsg {
				t.Errorf("InitiateAuth = %s %q; want NotAuthorizedException %q", got.errType(), got.message(), st.wantMsg)
			}
		})
	}
	t.Run("SRP is locked too", func(t *testing.T) {
		for range 5 {
			h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": "Wrong!pass1"})
		}
		_, ch := h.srpStart(demoClient, "alice", nil)
		if ch.message() != "Password attempts exceeded" {
			t.Errorf("InitiateAuth SRP while locked = %s %q; want Password attempts exceeded", ch.errType(), ch.message())
		}
	})
}

func TestLockoutCap(t *testing.T) {
	l := newLockout()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 40 {
		l.fail("k", now)
	}
	tests := []struct {
		name   string
		after  time.Duration
		locked bool
	}{
		{"just before 15 minutes", 15*time.Minute - time.Second, true},
		{"at 15 minutes", 15 * time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.locked("k", now.Add(tt.after)); got != tt.locked {
				t.Errorf("locked(+%v) = %v; want %v", tt.after, got, tt.locked)
			}
		})
	}
}

func TestRefreshTokenAuth(t *testing.T) {
	h := demoHarness(t)
	signIn := h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass})
	rt := signIn.str("AuthenticationResult", "RefreshToken")
	firstID := h.verifyJWT(demoPool, signIn.str("AuthenticationResult", "IdToken"))
	secretSignIn := h.passwordAuth(secretClient, map[string]string{"USERNAME": "alice@example.com", "PASSWORD": demoPass,
		"SECRET_HASH": srp.SecretHash("alice@example.com", secretClient, secretValue)})
	secretRT := secretSignIn.str("AuthenticationResult", "RefreshToken")
	if rt == "" || secretRT == "" {
		t.Fatalf("sign-in gave no refresh token: %s / %s", signIn.raw, secretSignIn.raw)
	}
	sub := firstID["sub"].(string)
	tests := []struct {
		name, flow, client string
		params             map[string]string
		advance            time.Duration
		wantMsg            string // "" = new tokens
	}{
		{"refresh", "REFRESH_TOKEN_AUTH", demoClient, map[string]string{"REFRESH_TOKEN": rt}, 0, ""},
		{"alias REFRESH_TOKEN", "REFRESH_TOKEN", demoClient, map[string]string{"REFRESH_TOKEN": rt}, 0, ""},
		{"garbage token", "REFRESH_TOKEN_AUTH", demoClient, map[string]string{"REFRESH_TOKEN": "garbage"}, 0, "Invalid Refresh Token"},
		{"other client", "REFRESH_TOKEN_AUTH", srpOnlyClient, map[string]string{"REFRESH_TOKEN": rt}, 0, "Invalid Refresh Token"},
		{"secret client, hash over the real username", "REFRESH_TOKEN_AUTH", secretClient, map[string]string{"REFRESH_TOKEN": secretRT, "SECRET_HASH": srp.SecretHash("alice", secretClient, secretValue)}, 0, ""},
		{"secret client, hash over the sub", "REFRESH_TOKEN_AUTH", secretClient, map[string]string{"REFRESH_TOKEN": secretRT, "SECRET_HASH": srp.SecretHash(sub, secretClient, secretValue)}, 0, ""},
		{"secret client, hash missing", "REFRESH_TOKEN_AUTH", secretClient, map[string]string{"REFRESH_TOKEN": secretRT}, 0, "Client " + secretClient + " is configured for secret but secret was not received"},
		{"secret client, hash over the alias", "REFRESH_TOKEN_AUTH", secretClient, map[string]string{"REFRESH_TOKEN": secretRT, "SECRET_HASH": srp.SecretHash("alice@example.com", secretClient, secretValue)}, 0, "Unable to verify secret hash for client " + secretClient},
		{"expired after 30 days", "REFRESH_TOKEN_AUTH", demoClient, map[string]string{"REFRESH_TOKEN": rt}, 30 * 24 * time.Hour, "Refresh Token has expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.clock.Advance(tt.advance)
			got := h.call("InitiateAuth", m{"AuthFlow": tt.flow, "ClientId": tt.client, "AuthParameters": tt.params}, false)
			if tt.wantMsg != "" {
				if got.errType() != "NotAuthorizedException" || got.message() != tt.wantMsg {
					t.Errorf("InitiateAuth(%s) = %s %q; want NotAuthorizedException %q", tt.flow, got.errType(), got.message(), tt.wantMsg)
				}
				return
			}
			if got.status != http.StatusOK {
				t.Fatalf("InitiateAuth(%s) = %d %s %q; want tokens", tt.flow, got.status, got.errType(), got.message())
			}
			if got.str("AuthenticationResult", "RefreshToken") != "" {
				t.Errorf("refresh returned a new RefreshToken; want none")
			}
			id := h.verifyJWT(demoPool, got.str("AuthenticationResult", "IdToken"))
			if id["sub"] != sub || id["cognito:username"] != "alice" {
				t.Errorf("refreshed id token sub/username = %v/%v; want %s/alice", id["sub"], id["cognito:username"], sub)
			}
			if tt.client == demoClient && (id["origin_jti"] != firstID["origin_jti"] || id["auth_time"] != firstID["auth_time"]) {
				t.Errorf("refreshed origin_jti/auth_time = %v/%v; want the sign-in's %v/%v", id["origin_jti"], id["auth_time"], firstID["origin_jti"], firstID["auth_time"])
			}
		})
	}
	t.Run("deleted user", func(t *testing.T) {
		fresh := demoHarness(t)
		s := fresh.passwordAuth(demoClient, map[string]string{"USERNAME": "bob", "PASSWORD": "Hunter2!Bob"})
		fresh.admin("AdminDeleteUser", m{"UserPoolId": demoPool, "Username": "bob"})
		got := fresh.call("InitiateAuth", m{"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": demoClient,
			"AuthParameters": m{"REFRESH_TOKEN": s.str("AuthenticationResult", "RefreshToken")}}, false)
		if got.errType() != "NotAuthorizedException" {
			t.Errorf("refresh for a deleted user = %s %q; want NotAuthorizedException", got.errType(), got.message())
		}
	})
}

func TestNewPasswordRequired(t *testing.T) {
	h := demoHarness(t)
	h.admin("AdminCreateUser", m{"UserPoolId": demoPool, "Username": "dave", "TemporaryPassword": "Temp0rary!x",
		"MessageAction": "SUPPRESS", "UserAttributes": []m{{"Name": "email", "Value": "dave@example.com"}}})
	res := h.srpSignIn(demoPool, demoClient, "dave", "Temp0rary!x")
	if res.str("ChallengeName") != "NEW_PASSWORD_REQUIRED" || res.str("Session") == "" {
		t.Fatalf("sign-in with a temporary password = %d %s; want NEW_PASSWORD_REQUIRED with a Session", res.status, res.raw)
	}
	if got := res.str("ChallengeParameters", "userAttributes"); got != `{"email":"dave@example.com"}` {
		t.Errorf("userAttributes = %q; want the JSON of the user's attributes", got)
	}
	session := res.str("Session")
	answer := func(pw string) response {
		return h.call("RespondToAuthChallenge", m{"ClientId": demoClient, "ChallengeName": "NEW_PASSWORD_REQUIRED",
			"Session": session, "ChallengeResponses": m{"USERNAME": "dave", "NEW_PASSWORD": pw}}, false)
	}
	tests := []struct {
		name, password    string
		wantType, wantMsg string
	}{
		{"weak password keeps the session", "short", "InvalidPasswordException", "Password did not conform with policy: Password not long enough"},
		{"good password", "N3w!Password", "", ""},
		{"session used", "N3w!Password", "NotAuthorizedException", "Invalid session for the user."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := answer(tt.password)
			if tt.wantType == "" {
				if got.status != http.StatusOK || got.str("AuthenticationResult", "IdToken") == "" {
					t.Errorf("answer = %d %s %q; want tokens", got.status, got.errType(), got.message())
				}
				return
			}
			if got.errType() != tt.wantType || got.message() != tt.wantMsg {
				t.Errorf("answer(%q) = %s %q; want %s %q", tt.password, got.errType(), got.message(), tt.wantType, tt.wantMsg)
			}
		})
	}
	user := h.admin("AdminGetUser", m{"UserPoolId": demoPool, "Username": "dave"})
	if user.str("UserStatus") != "CONFIRMED" {
		t.Errorf("UserStatus after the new password = %q; want CONFIRMED", user.str("UserStatus"))
	}
	if res := h.srpSignIn(demoPool, demoClient, "dave", "N3w!Password"); res.str("AuthenticationResult", "AccessToken") == "" {
		t.Errorf("sign-in with the new password = %d %s; want tokens", res.status, res.raw)
	}
}

func TestGetUser(t *testing.T) {
	h := demoHarness(t)
	res := h.srpSignIn(demoPool, demoClient, "alice", demoPass)
	access := res.str("AuthenticationResult", "AccessToken")
	idTok := res.str("AuthenticationResult", "IdToken")
	tamper := []byte(access)
	tamper[len(tamper)-5] ^= 1
	tests := []struct {
		name    string
		token   string
		advance time.Duration
		wantMsg string
	}{
		{"valid", access, 0, ""},
		{"id token is not an access token", idTok, 0, "Invalid Access Token"},
		{"tampered", string(tamper), 0, "Invalid Access Token"},
		{"expired", access, time.Hour, "Access Token has expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.clock.Advance(tt.advance)
			got := h.call("GetUser", m{"AccessToken": tt.token}, false)
			if tt.wantMsg != "" {
				if got.errType() != "NotAuthorizedException" || got.message() != tt.wantMsg {
					t.Errorf("GetUser = %s %q; want NotAuthorizedException %q", got.errType(), got.message(), tt.wantMsg)
				}
				return
			}
			if got.status != http.StatusOK || got.str("Username") != "alice" {
				t.Fatalf("GetUser = %d %s; want alice", got.status, got.raw)
			}
			attrs := map[string]string{}
			for _, a := range got.body["UserAttributes"].([]any) {
				am := a.(map[string]any)
				attrs[am["Name"].(string)] = am["Value"].(string)
			}
			if attrs["email"] != "alice@example.com" || attrs["email_verified"] != "true" || !uuidPattern.MatchString(attrs["sub"]) {
				t.Errorf("GetUser attributes = %v; want email, email_verified and a sub", attrs)
			}
		})
	}
}

// TestLockoutMemoryBound: names that anyone can invent (unknown users are
// counted too) cannot grow the lockout table past its cap, and a live lock
// is never forgotten to make room.
func TestLockoutMemoryBound(t *testing.T) {
	l := newLockout()
	l.max = 3
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for range lockoutFree {
		l.fail("locked", now)
	}
	for i := range 10 {
		name := string(rune('a' + i))
		for range lockoutFree {
			l.fail(name, now.Add(-time.Hour)) // locks that have long expired
		}
	}
	if got := len(l.users); got > l.max {
		t.Errorf("entries after 11 names with cap %d = %d; want at most %d", l.max, got, l.max)
	}
	if !l.locked("locked", now) {
		t.Errorf("locked(%q) = false; want true (a live lock is kept)", "locked")
	}
}
