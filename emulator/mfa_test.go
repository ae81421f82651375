package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

const (
	mfaPool      = "us-east-1_cwMfaOpt1"
	mfaClient    = "mfaoptionalclient00000001"
	mfaSecretCl  = "mfasecretclient0000000001"
	mfaOnPool    = "us-east-1_cwMfaOn01"
	mfaOnClient  = "mfaonclient00000000000001"
	mfaPass      = "Passw0rd!Mfa"
	totpSecret   = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	mfaSecretVal = "mfasecretvalue0123456789abcdefghijklmnopqrstuvwxyz0"
)

func mfaSeed() Seed {
	flows := []string{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	return Seed{UserPools: []SeedPool{{
		ID: mfaPool, Name: "mfa-optional", MfaConfiguration: "OPTIONAL", AliasAttributes: []string{"email"},
		Clients: []SeedClient{{ID: mfaClient, Name: "web", ExplicitAuthFlows: flows},
			{ID: mfaSecretCl, Name: "secret", Secret: mfaSecretVal, ExplicitAuthFlows: flows}},
		Users: []SeedUser{
			{Username: "sms-user", Password: mfaPass, Attributes: map[string]string{"phone_number": "+15555550100"},
				MFA: &SeedUserMFA{SMS: true, Preferred: "SMS_MFA"}},
			{Username: "totp-user", Password: mfaPass, MFA: &SeedUserMFA{TOTPSecret: totpSecret}},
			{Username: "email-user", Password: mfaPass, Attributes: map[string]string{"email": "erin@example.com", "email_verified": "true"},
				MFA: &SeedUserMFA{Email: true}},
			{Username: "multi-user", Password: mfaPass, Attributes: map[string]string{"phone_number": "+15555550199"},
				MFA: &SeedUserMFA{SMS: true, TOTPSecret: totpSecret}},
			{Username: "plain-user", Password: mfaPass},
		},
	}, {
		ID: mfaOnPool, Name: "mfa-on", MfaConfiguration: "ON", EnabledMfas: []string{"SOFTWARE_TOKEN_MFA", "EMAIL_OTP"},
		Schema:  []SeedAttribute{{Name: "name", Required: true}},
		Clients: []SeedClient{{ID: mfaOnClient, Name: "web", ExplicitAuthFlows: flows}},
		Users: []SeedUser{
			{Username: "new-user", Password: mfaPass},
			{Username: "email-setup", Password: mfaPass},
			{Username: "temp-user", Password: "Temp0rary!pw", Status: "FORCE_CHANGE_PASSWORD"},
		},
	}}}
}

func mfaHarness(t *testing.T) *harness {
	s := mfaSeed()
	return newHarness(t, &s)
}

// outboxCodes reads /_dev/outbox for a user.
func (h *harness) outbox(poolID, username string) (int, []outboxMessage) {
	h.t.Helper()
	resp, err := h.srv.Client().Get(h.srv.URL + "/_dev/outbox?userPoolId=" + url.QueryEscape(poolID) + "&username=" + url.QueryEscape(username))
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out []outboxMessage
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, &out); err != nil {
			h.t.Fatalf("outbox body %q: %v", b, err)
		}
	}
	return resp.StatusCode, out
}

// lastCode is the newest code the outbox holds for a user.
func (h *harness) lastCode(poolID, username string) string {
	h.t.Helper()
	_, msgs := h.outbox(poolID, username)
	if len(msgs) == 0 {
		h.t.Fatalf("outbox for %s is empty", username)
	}
	return msgs[len(msgs)-1].Code
}

func (h *harness) totpCode(secret string, at time.Time) string {
	h.t.Helper()
	code, err := totp.GenerateCodeCustom(secret, at, totpOpts)
	if err != nil {
		h.t.Fatal(err)
	}
	return code
}

func (h *harness) respond(clientID, challenge, session string, responses map[string]string) response {
	h.t.Helper()
	return h.call("RespondToAuthChallenge", m{"ClientId": clientID, "ChallengeName": challenge, "Session": session,
		"ChallengeResponses": responses}, false)
}

func (h *harness) startMFA(clientID, username string) response {
	h.t.Helper()
	params := map[string]string{"USERNAME": username, "PASSWORD": mfaPass}
	if clientID == mfaSecretCl {
		params["SECRET_HASH"] = srp.SecretHash(username, clientID, mfaSecretVal)
	}
	return h.passwordAuth(clientID, params)
}

func TestMFAChallenges(t *testing.T) {
	h := mfaHarness(t)
	tests := []struct {
		user       string
		challenge  string
		wantParams map[string]string
		key        string
		code       func() string
	}{
		{"sms-user", "SMS_MFA", map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******0100", "USER_ID_FOR_SRP": "sms-user"},
			"SMS_MFA_CODE", func() string { return h.lastCode(mfaPool, "sms-user") }},
		{"email-user", "EMAIL_OTP", map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "e***@e***"},
			"EMAIL_OTP_CODE", func() string { return h.lastCode(mfaPool, "erin@example.com") }},
		{"totp-user", "SOFTWARE_TOKEN_MFA", map[string]string{"USER_ID_FOR_SRP": "totp-user"},
			"SOFTWARE_TOKEN_MFA_CODE", func() string { return h.totpCode(totpSecret, h.clock.Now()) }},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			ch := h.startMFA(mfaClient, tt.user)
			if ch.str("ChallengeName") != tt.challenge || ch.str("Session") == "" {
				t.Fatalf("InitiateAuth(%q) = %d %s; want %s with a Session", tt.user, ch.status, ch.raw, tt.challenge)
			}
			for k, want := range tt.wantParams {
				if got := ch.str("ChallengeParameters", k); got != want {
					t.Errorf("InitiateAuth(%q) %s = %q; want %q", tt.user, k, got, want)
				}
			}
			got := h.respond(mfaClient, tt.challenge, ch.str("Session"), map[string]string{"USERNAME": tt.user, tt.key: tt.code()})
			if got.status != http.StatusOK || got.str("AuthenticationResult", "IdToken") == "" {
				t.Fatalf("RespondToAuthChallenge(%s) = %d %s; want tokens", tt.challenge, got.status, got.raw)
			}
			again := h.respond(mfaClient, tt.challenge, ch.str("Session"), map[string]string{"USERNAME": tt.user, tt.key: tt.code()})
			if again.errType() != "NotAuthorizedException" || again.message() != "Invalid session for the user." {
				t.Errorf("RespondToAuthChallenge(%s) replayed = %s %q; want NotAuthorizedException %q", tt.challenge, again.errType(), again.message(), "Invalid session for the user.")
			}
		})
	}
	t.Run("SMS code marks the phone verified", func(t *testing.T) {
		user := h.admin("AdminGetUser", m{"UserPoolId": mfaPool, "Username": "sms-user"})
		verified := false
		for _, a := range user.body["UserAttributes"].([]any) {
			if a.(map[string]any)["Name"] == "phone_number_verified" && a.(map[string]any)["Value"] == "true" {
				verified = true
			}
		}
		if !verified {
			t.Errorf("AdminGetUser(sms-user) = %s; want phone_number_verified true after an SMS_MFA sign-in", user.raw)
		}
	})
	t.Run("no MFA enabled in an OPTIONAL pool", func(t *testing.T) {
		if got := h.startMFA(mfaClient, "plain-user"); got.str("AuthenticationResult", "IdToken") == "" {
			t.Errorf("InitiateAuth(plain-user) = %d %s; want tokens", got.status, got.raw)
		}
	})
	t.Run("after SRP", func(t *testing.T) {
		if got := h.srpSignIn(mfaPool, mfaClient, "sms-user", mfaPass); got.str("ChallengeName") != "SMS_MFA" {
			t.Errorf("SRP sign-in of sms-user = %d %s; want SMS_MFA", got.status, got.raw)
		}
	})
}

func TestMFAWrongCodes(t *testing.T) {
	h := mfaHarness(t)
	ch := h.startMFA(mfaClient, "sms-user")
	session := ch.str("Session")
	answer := func(code string) response {
		return h.respond(mfaClient, "SMS_MFA", session, map[string]string{"USERNAME": "sms-user", "SMS_MFA_CODE": code})
	}
	right := h.lastCode(mfaPool, "sms-user")
	wrong := "000000"
	if right == wrong {
		wrong = "111111"
	}
	tests := []struct {
		name, code        string
		wantType, wantMsg string
	}{
		{"first wrong code", wrong, "CodeMismatchException", "Invalid code or auth state for the user."},
		{"second wrong code", wrong, "CodeMismatchException", "Invalid code or auth state for the user."},
		{"right code after two wrong ones", right, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := answer(tt.code)
			if tt.wantType == "" {
				if got.str("AuthenticationResult", "IdToken") == "" {
					t.Errorf("SMS_MFA(%q) = %d %s; want tokens", tt.code, got.status, got.raw)
				}
				return
			}
			if got.errType() != tt.wantType || got.message() != tt.wantMsg {
				t.Errorf("SMS_MFA(%q) = %s %q; want %s %q", tt.code, got.errType(), got.message(), tt.wantType, tt.wantMsg)
			}
		})
	}

	t.Run("three wrong codes end the session", func(t *testing.T) {
		ch := h.startMFA(mfaClient, "email-user")
		code := h.lastCode(mfaPool, "email-user")
		bad := "000000"
		if code == bad {
			bad = "111111"
		}
		for i := range 3 {
			got := h.respond(mfaClient, "EMAIL_OTP", ch.str("Session"), map[string]string{"USERNAME": "email-user", "EMAIL_OTP_CODE": bad})
			if got.errType() != "CodeMismatchException" {
				t.Fatalf("wrong code %d = %s %q; want CodeMismatchException", i+1, got.errType(), got.message())
			}
		}
		got := h.respond(mfaClient, "EMAIL_OTP", ch.str("Session"), map[string]string{"USERNAME": "email-user", "EMAIL_OTP_CODE": code})
		if got.errType() != "NotAuthorizedException" || got.message() != "Invalid session for the user." {
			t.Errorf("right code after 3 wrong ones = %s %q; want NotAuthorizedException %q", got.errType(), got.message(), "Invalid session for the user.")
		}
	})

	t.Run("expired session", func(t *testing.T) {
		ch := h.startMFA(mfaClient, "sms-user")
		code := h.lastCode(mfaPool, "sms-user")
		h.clock.Advance(3*time.Minute + time.Second)
		got := h.respond(mfaClient, "SMS_MFA", ch.str("Session"), map[string]string{"USERNAME": "sms-user", "SMS_MFA_CODE": code})
		if got.errType() != "NotAuthorizedException" || got.message() != "Invalid session for the user." {
			t.Errorf("SMS_MFA after expiry = %s %q; want NotAuthorizedException %q", got.errType(), got.message(), "Invalid session for the user.")
		}
	})

	t.Run("session of another user", func(t *testing.T) {
		ch := h.startMFA(mfaClient, "sms-user")
		got := h.respond(mfaClient, "SMS_MFA", ch.str("Session"), map[string]string{"USERNAME": "plain-user", "SMS_MFA_CODE": h.lastCode(mfaPool, "sms-user")})
		if got.errType() != "NotAuthorizedException" || got.message() != "Invalid session for the user." {
			t.Errorf("SMS_MFA as another user = %s %q; want NotAuthorizedException %q", got.errType(), got.message(), "Invalid session for the user.")
		}
	})

	t.Run("answer names another challenge", func(t *testing.T) {
		ch := h.startMFA(mfaClient, "sms-user")
		got := h.respond(mfaClient, "SOFTWARE_TOKEN_MFA", ch.str("Session"), map[string]string{"USERNAME": "sms-user", "SOFTWARE_TOKEN_MFA_CODE": "123456"})
		if got.errType() != "NotAuthorizedException" || got.message() != "Invalid session for the user." {
			t.Errorf("SOFTWARE_TOKEN_MFA on an SMS_MFA session = %s %q; want NotAuthorizedException", got.errType(), got.message())
		}
	})
}

func TestTOTPReplayAndDrift(t *testing.T) {
	h := mfaHarness(t)
	signIn := func(code string) response {
		ch := h.startMFA(mfaClient, "totp-user")
		if ch.str("ChallengeName") != "SOFTWARE_TOKEN_MFA" {
			t.Fatalf("InitiateAuth(totp-user) = %s; want SOFTWARE_TOKEN_MFA", ch.raw)
		}
		return h.respond(mfaClient, "SOFTWARE_TOKEN_MFA", ch.str("Session"), map[string]string{"USERNAME": "totp-user", "SOFTWARE_TOKEN_MFA_CODE": code})
	}
	now := h.clock.Now()
	tests := []struct {
		name   string
		code   string
		wantOK bool
	}{
		{"code from one step ago", h.totpCode(totpSecret, now.Add(-30*time.Second)), true},
		{"current code", h.totpCode(totpSecret, now), true},
		{"current code again (replay)", h.totpCode(totpSecret, now), false},
		{"code from one step ago, now older than the last used", h.totpCode(totpSecret, now.Add(-30*time.Second)), false},
		{"code two steps ahead", h.totpCode(totpSecret, now.Add(60*time.Second)), false},
		{"code one step ahead", h.totpCode(totpSecret, now.Add(30*time.Second)), true},
		{"not six digits", "12345", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := signIn(tt.code)
			ok := got.str("AuthenticationResult", "IdToken") != ""
			if ok != tt.wantOK {
				t.Errorf("SOFTWARE_TOKEN_MFA(%q) = %d %s %q; want success %v", tt.code, got.status, got.errType(), got.message(), tt.wantOK)
			}
			if !tt.wantOK && got.errType() != "CodeMismatchException" {
				t.Errorf("SOFTWARE_TOKEN_MFA(%q) = %s; want CodeMismatchException", tt.code, got.errType())
			}
		})
	}
}

func TestSelectMFAType(t *testing.T) {
	h := mfaHarness(t)
	tests := []struct {
		answer, wantChallenge string
	}{
		{"SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA"},
		{"SMS_MFA", "SMS_MFA"},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			ch := h.startMFA(mfaClient, "multi-user")
			if ch.str("ChallengeName") != "SELECT_MFA_TYPE" || ch.str("ChallengeParameters", "MFAS_CAN_CHOOSE") != `["SMS_MFA","SOFTWARE_TOKEN_MFA"]` {
				t.Fatalf("InitiateAuth(multi-user) = %s; want SELECT_MFA_TYPE with MFAS_CAN_CHOOSE [SMS_MFA, SOFTWARE_TOKEN_MFA]", ch.raw)
			}
			bad := h.respond(mfaClient, "SELECT_MFA_TYPE", ch.str("Session"), map[string]string{"USERNAME": "multi-user", "ANSWER": "EMAIL_OTP"})
			if bad.errType() != "InvalidParameterException" {
				t.Errorf("SELECT_MFA_TYPE(EMAIL_OTP) = %s %q; want InvalidParameterException", bad.errType(), bad.message())
			}
			got := h.respond(mfaClient, "SELECT_MFA_TYPE", ch.str("Session"), map[string]string{"USERNAME": "multi-user", "ANSWER": tt.answer})
			if got.str("ChallengeName") != tt.wantChallenge {
				t.Fatalf("SELECT_MFA_TYPE(%s) = %s; want %s", tt.answer, got.raw, tt.wantChallenge)
			}
			code := h.totpCode(totpSecret, h.clock.Now())
			key := "SOFTWARE_TOKEN_MFA_CODE"
			if tt.answer == "SMS_MFA" {
				code, key = h.lastCode(mfaPool, "multi-user"), "SMS_MFA_CODE"
			}
			done := h.respond(mfaClient, tt.wantChallenge, got.str("Session"), map[string]string{"USERNAME": "multi-user", key: code})
			if done.str("AuthenticationResult", "IdToken") == "" {
				t.Errorf("%s answer = %d %s; want tokens", tt.wantChallenge, done.status, done.raw)
			}
		})
	}
}

func TestMFASetupTOTP(t *testing.T) {
	h := mfaHarness(t)
	ch := h.startMFA(mfaOnClient, "new-user")
	if ch.str("ChallengeName") != "MFA_SETUP" || ch.str("ChallengeParameters", "MFAS_CAN_SETUP") != `["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]` {
		t.Fatalf("InitiateAuth(new-user) in an ON pool = %s; want MFA_SETUP with MFAS_CAN_SETUP [SOFTWARE_TOKEN_MFA, EMAIL_OTP]", ch.raw)
	}
	early := h.respond(mfaOnClient, "MFA_SETUP", ch.str("Session"), map[string]string{"USERNAME": "new-user"})
	if early.errType() != "InvalidParameterException" {
		t.Errorf("MFA_SETUP before any token = %s %q; want InvalidParameterException", early.errType(), early.message())
	}
	assoc := h.call("AssociateSoftwareToken", m{"Session": ch.str("Session")}, false)
	secret, s2 := assoc.str("SecretCode"), assoc.str("Session")
	if secret == "" || s2 == "" || s2 == ch.str("Session") {
		t.Fatalf("AssociateSoftwareToken(Session) = %d %s; want SecretCode and a new Session", assoc.status, assoc.raw)
	}
	wrong := h.call("VerifySoftwareToken", m{"Session": s2, "UserCode": "000000"}, false)
	if wrong.errType() != "EnableSoftwareTokenMFAException" {
		t.Errorf("VerifySoftwareToken(wrong code) = %s %q; want EnableSoftwareTokenMFAException", wrong.errType(), wrong.message())
	}
	ver := h.call("VerifySoftwareToken", m{"Session": s2, "UserCode": h.totpCode(secret, h.clock.Now()), "FriendlyDeviceName": "phone"}, false)
	if ver.str("Status") != "SUCCESS" || ver.str("Session") == "" {
		t.Fatalf("VerifySoftwareToken(Session) = %d %s; want SUCCESS and a Session", ver.status, ver.raw)
	}
	done := h.respond(mfaOnClient, "MFA_SETUP", ver.str("Session"), map[string]string{"USERNAME": "new-user"})
	if done.str("AuthenticationResult", "IdToken") == "" {
		t.Fatalf("MFA_SETUP = %d %s; want tokens", done.status, done.raw)
	}
	user := h.call("GetUser", m{"AccessToken": done.str("AuthenticationResult", "AccessToken")}, false)
	if user.str("PreferredMfaSetting") != "SOFTWARE_TOKEN_MFA" {
		t.Errorf("GetUser PreferredMfaSetting = %q; want SOFTWARE_TOKEN_MFA", user.str("PreferredMfaSetting"))
	}
	h.clock.Advance(30 * time.Second)
	next := h.startMFA(mfaOnClient, "new-user")
	if next.str("ChallengeName") != "SOFTWARE_TOKEN_MFA" || next.str("ChallengeParameters", "FRIENDLY_DEVICE_NAME") != "phone" {
		t.Fatalf("next sign-in = %s; want SOFTWARE_TOKEN_MFA with FRIENDLY_DEVICE_NAME phone", next.raw)
	}
	if got := h.respond(mfaOnClient, "SOFTWARE_TOKEN_MFA", next.str("Session"), map[string]string{"USERNAME": "new-user",
		"SOFTWARE_TOKEN_MFA_CODE": h.totpCode(secret, h.clock.Now())}); got.str("AuthenticationResult", "IdToken") == "" {
		t.Errorf("SOFTWARE_TOKEN_MFA with the new secret = %d %s; want tokens", got.status, got.raw)
	}
	t.Run("unknown session", func(t *testing.T) {
		got := h.call("AssociateSoftwareToken", m{"Session": strings.Repeat("x", 40)}, false)
		if got.errType() != "NotAuthorizedException" || got.message() != "Invalid session for the user." {
			t.Errorf("AssociateSoftwareToken(unknown session) = %s %q; want NotAuthorizedException", got.errType(), got.message())
		}
	})
}

func TestMFASetupEmail(t *testing.T) {
	h := mfaHarness(t)
	ch := h.startMFA(mfaOnClient, "email-setup")
	got := h.respond(mfaOnClient, "MFA_SETUP", ch.str("Session"), map[string]string{"USERNAME": "email-setup", "EMAIL": "Set.Up@Example.com"})
	if got.str("ChallengeName") != "EMAIL_OTP" || got.str("ChallengeParameters", "CODE_DELIVERY_DESTINATION") != "S***@E***" {
		t.Fatalf("MFA_SETUP(EMAIL) = %s; want EMAIL_OTP to S***@E***", got.raw)
	}
	_, msgs := h.outbox(mfaOnPool, "email-setup")
	if len(msgs) != 1 || msgs[0].Destination != "Set.Up@Example.com" || msgs[0].Medium != "EMAIL" {
		t.Fatalf("outbox = %+v; want one EMAIL to Set.Up@Example.com", msgs)
	}
	done := h.respond(mfaOnClient, "EMAIL_OTP", got.str("Session"), map[string]string{"USERNAME": "email-setup", "EMAIL_OTP_CODE": msgs[0].Code})
	if done.str("AuthenticationResult", "IdToken") == "" {
		t.Fatalf("EMAIL_OTP = %d %s; want tokens", done.status, done.raw)
	}
	user := h.admin("AdminGetUser", m{"UserPoolId": mfaOnPool, "Username": "email-setup"})
	if user.str("PreferredMfaSetting") != "EMAIL_OTP" {
		t.Errorf("PreferredMfaSetting after email setup = %q; want EMAIL_OTP", user.str("PreferredMfaSetting"))
	}
	if next := h.startMFA(mfaOnClient, "email-setup"); next.str("ChallengeName") != "EMAIL_OTP" {
		t.Errorf("next sign-in = %s; want EMAIL_OTP", next.raw)
	}
}

func TestMFASecretHash(t *testing.T) {
	h := mfaHarness(t)
	ch := h.startMFA(mfaSecretCl, "sms-user")
	if ch.str("ChallengeName") != "SMS_MFA" {
		t.Fatalf("InitiateAuth(sms-user) = %s; want SMS_MFA", ch.raw)
	}
	code := h.lastCode(mfaPool, "sms-user")
	missing := h.respond(mfaSecretCl, "SMS_MFA", ch.str("Session"), map[string]string{"USERNAME": "sms-user", "SMS_MFA_CODE": code})
	if want := "Client " + mfaSecretCl + " is configured for secret but secret was not received"; missing.message() != want {
		t.Errorf("SMS_MFA without SECRET_HASH = %s %q; want %q", missing.errType(), missing.message(), want)
	}
	got := h.respond(mfaSecretCl, "SMS_MFA", ch.str("Session"), map[string]string{"USERNAME": "sms-user", "SMS_MFA_CODE": code,
		"SECRET_HASH": srp.SecretHash("sms-user", mfaSecretCl, mfaSecretVal)})
	if got.str("AuthenticationResult", "IdToken") == "" {
		t.Errorf("SMS_MFA with SECRET_HASH = %d %s; want tokens (the session survives a refused secret hash)", got.status, got.raw)
	}
}

func TestMFACodeLockout(t *testing.T) {
	h := mfaHarness(t)
	var last response
	for i := range 6 {
		ch := h.startMFA(mfaClient, "sms-user")
		if ch.str("ChallengeName") != "SMS_MFA" {
			last = ch
			break
		}
		bad := "000000"
		if h.lastCode(mfaPool, "sms-user") == bad {
			bad = "111111"
		}
		last = h.respond(mfaClient, "SMS_MFA", ch.str("Session"), map[string]string{"USERNAME": "sms-user", "SMS_MFA_CODE": bad})
		if i < 5 && last.errType() != "CodeMismatchException" {
			t.Fatalf("wrong code %d = %s %q; want CodeMismatchException", i+1, last.errType(), last.message())
		}
	}
	if last.errType() != "NotAuthorizedException" || last.message() != "Password attempts exceeded" {
		t.Errorf("after 5 wrong codes = %s %q; want NotAuthorizedException %q", last.errType(), last.message(), "Password attempts exceeded")
	}
}

func TestOutboxEndpoint(t *testing.T) {
	h := mfaHarness(t)
	h.startMFA(mfaClient, "email-user")
	h.startMFA(mfaClient, "email-user")
	tests := []struct {
		name, pool, user string
		wantStatus       int
		wantCount        int
	}{
		{"by username", mfaPool, "email-user", 200, 2},
		{"by alias", mfaPool, "erin@example.com", 200, 2},
		{"whole pool", mfaPool, "", 200, 2},
		{"user with none", mfaPool, "plain-user", 200, 0},
		{"unknown user", mfaPool, "nobody", 200, 0},
		{"missing pool", "", "email-user", 400, 0},
		{"unknown pool", "us-east-1_nope", "email-user", 400, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, msgs := h.outbox(tt.pool, tt.user)
			if status != tt.wantStatus || len(msgs) != tt.wantCount {
				t.Errorf("outbox(%q, %q) = %d with %d messages; want %d with %d", tt.pool, tt.user, status, len(msgs), tt.wantStatus, tt.wantCount)
			}
		})
	}
	_, msgs := h.outbox(mfaPool, "email-user")
	if len(msgs) == 2 {
		m0, m1 := msgs[0], msgs[1]
		if m1.Username != "email-user" || m1.Destination != "erin@example.com" || m1.Medium != "EMAIL" || len(m1.Code) != 6 || m0.Code == "" {
			t.Errorf("outbox message = %+v; want email-user, erin@example.com, EMAIL, a 6-digit code", m1)
		}
		if _, err := time.Parse(time.RFC3339, m1.Time); err != nil {
			t.Errorf("outbox time %q is not RFC 3339", m1.Time)
		}
	}
	// Newest last: the code that works is the last one.
	ch := h.startMFA(mfaClient, "email-user")
	if got := h.respond(mfaClient, "EMAIL_OTP", ch.str("Session"), map[string]string{"USERNAME": "email-user", "EMAIL_OTP_CODE": h.lastCode(mfaPool, "email-user")}); got.str("AuthenticationResult", "IdToken") == "" {
		t.Errorf("EMAIL_OTP with the newest outbox code = %d %s; want tokens", got.status, got.raw)
	}
}

func TestMasking(t *testing.T) {
	tests := []struct {
		in, want string
		fn       func(string) string
	}{
		{"alice@example.com", "a***@e***", maskEmail},
		{"Zoë@ëxample.org", "Z***@ë***", maskEmail},
		{"+15555550100", "+*******0100", maskPhone},
		{"+447700900123", "+********0123", maskPhone},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("mask(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestUserPoolMfaConfig(t *testing.T) {
	h := newHarness(t, nil)
	pool := h.admin("CreateUserPool", m{"PoolName": "p"}).str("UserPool", "Id")
	tests := []struct {
		name     string
		body     m
		wantType string
		wantMsg  string
		wantMode string
	}{
		{"ON without a factor", m{"UserPoolId": pool, "MfaConfiguration": "ON"}, "InvalidParameterException",
			"Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.", ""},
		{"OFF with a factor", m{"UserPoolId": pool, "MfaConfiguration": "OFF", "SoftwareTokenMfaConfiguration": m{"Enabled": true}},
			"InvalidParameterException", "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.", ""},
		{"bad mode", m{"UserPoolId": pool, "MfaConfiguration": "SOMETIMES"}, "InvalidParameterException", "mfaConfiguration", ""},
		{"SMS message without the code", m{"UserPoolId": pool, "MfaConfiguration": "ON", "SmsMfaConfiguration": m{"SmsAuthenticationMessage": "Your code is here"}},
			"InvalidParameterException", "Value at 'smsMfaConfiguration.smsAuthenticationMessage' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\{####\\}.*", ""},
		{"OPTIONAL with TOTP and email", m{"UserPoolId": pool, "MfaConfiguration": "OPTIONAL",
			"SoftwareTokenMfaConfiguration": m{"Enabled": true}, "EmailMfaConfiguration": m{"Subject": "Your code"}}, "", "", "OPTIONAL"},
		{"ON with SMS", m{"UserPoolId": pool, "MfaConfiguration": "ON", "SmsMfaConfiguration": m{
			"SmsConfiguration": m{"SnsCallerArn": "arn:aws:iam::000000000000:role/sns"}}}, "", "", "ON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.call("SetUserPoolMfaConfig", tt.body, true)
			if tt.wantType != "" {
				if got.errType() != tt.wantType || !strings.Contains(got.message(), tt.wantMsg) {
					t.Errorf("SetUserPoolMfaConfig = %s %q; want %s containing %q", got.errType(), got.message(), tt.wantType, tt.wantMsg)
				}
				return
			}
			if got.status != http.StatusOK || got.str("MfaConfiguration") != tt.wantMode {
				t.Fatalf("SetUserPoolMfaConfig = %d %s; want MfaConfiguration %s", got.status, got.raw, tt.wantMode)
			}
			read := h.admin("GetUserPoolMfaConfig", m{"UserPoolId": pool})
			if string(read.raw) != string(got.raw) {
				t.Errorf("GetUserPoolMfaConfig = %s; want what Set answered, %s", read.raw, got.raw)
			}
		})
	}
	if got := h.admin("DescribeUserPool", m{"UserPoolId": pool}).body["UserPool"].(map[string]any)["MfaConfiguration"]; got != "ON" {
		t.Errorf("DescribeUserPool MfaConfiguration = %v; want ON", got)
	}
	if got := h.admin("GetUserPoolMfaConfig", m{"UserPoolId": pool}); got.body["EmailMfaConfiguration"] != nil {
		t.Errorf("GetUserPoolMfaConfig = %s; want email MFA off after a Set without it", got.raw)
	}
}

func TestCreateUserPoolMfa(t *testing.T) {
	h := newHarness(t, nil)
	got := h.call("CreateUserPool", m{"PoolName": "p", "MfaConfiguration": "ON"}, true)
	if want := "SMS configuration and Auto verification for phone_number are required when MFA is required/optional"; got.message() != want {
		t.Errorf("CreateUserPool(ON, no SMS) = %s %q; want InvalidParameterException %q", got.errType(), got.message(), want)
	}
	ok := h.admin("CreateUserPool", m{"PoolName": "p", "MfaConfiguration": "ON", "AutoVerifiedAttributes": []string{"phone_number"},
		"SmsConfiguration": m{"SnsCallerArn": "arn:aws:iam::000000000000:role/sns"}})
	pool := ok.str("UserPool", "Id")
	if ok.str("UserPool", "MfaConfiguration") != "ON" || ok.str("UserPool", "SmsConfiguration", "SnsCallerArn") != "arn:aws:iam::000000000000:role/sns" {
		t.Errorf("CreateUserPool(ON) = %s; want MfaConfiguration ON and the SmsConfiguration given", ok.raw)
	}
	client := h.admin("CreateUserPoolClient", m{"UserPoolId": pool, "ClientName": "c",
		"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}).str("UserPoolClient", "ClientId")
	h.admin("AdminCreateUser", m{"UserPoolId": pool, "Username": "pat", "TemporaryPassword": mfaPass, "MessageAction": "SUPPRESS",
		"UserAttributes": []m{{"Name": "phone_number", "Value": "+15555550142"}}})
	h.admin("AdminSetUserPassword", m{"UserPoolId": pool, "Username": "pat", "Password": mfaPass, "Permanent": true})
	res := h.passwordAuth(client, map[string]string{"USERNAME": "pat", "PASSWORD": mfaPass})
	if res.str("ChallengeName") != "SMS_MFA" || res.str("ChallengeParameters", "CODE_DELIVERY_DESTINATION") != "+*******0142" {
		t.Errorf("sign-in in an ON pool with SMS = %s; want SMS_MFA to +*******0142", res.raw)
	}
}

func TestMFAPreferences(t *testing.T) {
	h := mfaHarness(t)
	tokens := h.startMFA(mfaClient, "plain-user")
	access := tokens.str("AuthenticationResult", "AccessToken")
	refused := h.call("SetUserMFAPreference", m{"AccessToken": access, "SoftwareTokenMfaSettings": m{"Enabled": true, "PreferredMfa": true}}, false)
	if want := "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA"; refused.message() != want {
		t.Errorf("SetUserMFAPreference(TOTP) before a token = %s %q; want %q", refused.errType(), refused.message(), want)
	}
	assoc := h.call("AssociateSoftwareToken", m{"AccessToken": access}, false)
	secret := assoc.str("SecretCode")
	if secret == "" || assoc.str("Session") != "" {
		t.Fatalf("AssociateSoftwareToken(AccessToken) = %s; want a SecretCode and no Session", assoc.raw)
	}
	if v := h.call("VerifySoftwareToken", m{"AccessToken": access, "UserCode": h.totpCode(secret, h.clock.Now())}, false); v.str("Status") != "SUCCESS" {
		t.Fatalf("VerifySoftwareToken(AccessToken) = %s; want SUCCESS", v.raw)
	}
	if got := h.startMFA(mfaClient, "plain-user"); got.str("AuthenticationResult", "IdToken") == "" {
		t.Errorf("sign-in after VerifySoftwareToken alone = %s; want tokens (TOTP is not enabled until SetUserMFAPreference)", got.raw)
	}
	if got := h.call("SetUserMFAPreference", m{"AccessToken": access, "SoftwareTokenMfaSettings": m{"Enabled": true, "PreferredMfa": true}}, false); got.status != http.StatusOK {
		t.Fatalf("SetUserMFAPreference(TOTP) = %s", got.raw)
	}
	if got := h.startMFA(mfaClient, "plain-user"); got.str("ChallengeName") != "SOFTWARE_TOKEN_MFA" {
		t.Errorf("sign-in after enabling TOTP = %s; want SOFTWARE_TOKEN_MFA", got.raw)
	}
	// The admin turns it off again, and turns on SMS where the user has no phone.
	if got := h.call("AdminSetUserMFAPreference", m{"UserPoolId": mfaPool, "Username": "plain-user", "SMSMfaSettings": m{"Enabled": true}}, true); got.message() != "User does not have delivery config set to turn on SMS_MFA" {
		t.Errorf("AdminSetUserMFAPreference(SMS, no phone) = %s %q; want the delivery config error", got.errType(), got.message())
	}
	h.admin("AdminSetUserMFAPreference", m{"UserPoolId": mfaPool, "Username": "plain-user", "SoftwareTokenMfaSettings": m{"Enabled": false}})
	if got := h.startMFA(mfaClient, "plain-user"); got.str("AuthenticationResult", "IdToken") == "" {
		t.Errorf("sign-in after the admin turned TOTP off = %s; want tokens", got.raw)
	}
	user := h.admin("AdminGetUser", m{"UserPoolId": mfaPool, "Username": "multi-user"})
	if list, _ := user.body["UserMFASettingList"].([]any); len(list) != 2 || user.str("PreferredMfaSetting") != "" {
		t.Errorf("AdminGetUser(multi-user) MFA = %v, %q; want [SMS_MFA SOFTWARE_TOKEN_MFA] and none preferred", user.body["UserMFASettingList"], user.str("PreferredMfaSetting"))
	}
}

func TestNewPasswordRequiredAttributes(t *testing.T) {
	h := mfaHarness(t)
	ch := h.passwordAuth(mfaOnClient, map[string]string{"USERNAME": "temp-user", "PASSWORD": "Temp0rary!pw"})
	if ch.str("ChallengeName") != "NEW_PASSWORD_REQUIRED" || ch.str("ChallengeParameters", "requiredAttributes") != `["userAttributes.name"]` {
		t.Fatalf("sign-in of temp-user = %s; want NEW_PASSWORD_REQUIRED with requiredAttributes [userAttributes.name]", ch.raw)
	}
	session := ch.str("Session")
	tests := []struct {
		name      string
		responses map[string]string
		wantType  string
		wantMsg   string
	}{
		{"required attribute missing", map[string]string{"NEW_PASSWORD": "N3w!Password"}, "InvalidParameterException", "Invalid attributes given, name is missing"},
		{"weak password", map[string]string{"NEW_PASSWORD": "weak", "userAttributes.name": "Tem"}, "InvalidPasswordException", "Password did not conform with policy: Password not long enough"},
		{"attribute not in the schema", map[string]string{"NEW_PASSWORD": "N3w!Password", "userAttributes.nope": "x"}, "InvalidParameterException", "Attributes did not conform to the schema: nope: Attribute does not exist in the schema."},
		{"custom attribute not in the schema", map[string]string{"NEW_PASSWORD": "N3w!Password", "userAttributes.name": "Tem", "userAttributes.custom:nope": "x"}, "InvalidParameterException", "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema."},
		{"answered", map[string]string{"NEW_PASSWORD": "N3w!Password", "userAttributes.name": "Tem Porary"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := map[string]string{"USERNAME": "temp-user"}
			for k, v := range tt.responses {
				resp[k] = v
			}
			got := h.respond(mfaOnClient, "NEW_PASSWORD_REQUIRED", session, resp)
			if tt.wantType != "" {
				if got.errType() != tt.wantType || got.message() != tt.wantMsg {
					t.Errorf("NEW_PASSWORD_REQUIRED(%v) = %s %q; want %s %q", tt.responses, got.errType(), got.message(), tt.wantType, tt.wantMsg)
				}
				return
			}
			// The pool is ON, so the new password leads on to MFA setup.
			if got.str("ChallengeName") != "MFA_SETUP" {
				t.Errorf("NEW_PASSWORD_REQUIRED answered = %s; want MFA_SETUP next", got.raw)
			}
		})
	}
	user := h.admin("AdminGetUser", m{"UserPoolId": mfaOnPool, "Username": "temp-user"})
	found := false
	for _, a := range user.body["UserAttributes"].([]any) {
		if a.(map[string]any)["Name"] == "name" && a.(map[string]any)["Value"] == "Tem Porary" {
			found = true
		}
	}
	if !found || user.str("UserStatus") != "CONFIRMED" {
		t.Errorf("AdminGetUser(temp-user) = %s; want CONFIRMED with name Tem Porary", user.raw)
	}
}

// TestMFASetupEmailOnlyPool: where the pool offers only email MFA, MFA_SETUP
// offers only EMAIL_OTP and a software token cannot be associated.
func TestMFASetupEmailOnlyPool(t *testing.T) {
	h := mfaHarness(t)
	h.admin("SetUserPoolMfaConfig", m{"UserPoolId": mfaOnPool, "MfaConfiguration": "ON", "EmailMfaConfiguration": m{"Subject": "Code"}})
	ch := h.startMFA(mfaOnClient, "new-user")
	if ch.str("ChallengeName") != "MFA_SETUP" || ch.str("ChallengeParameters", "MFAS_CAN_SETUP") != `["EMAIL_OTP"]` {
		t.Fatalf("InitiateAuth(new-user) = %s; want MFA_SETUP with MFAS_CAN_SETUP [EMAIL_OTP]", ch.raw)
	}
	got := h.call("AssociateSoftwareToken", m{"Session": ch.str("Session")}, false)
	if got.errType() != "InvalidParameterException" {
		t.Errorf("AssociateSoftwareToken in an email-only pool = %s %q; want InvalidParameterException", got.errType(), got.message())
	}
	// The session survives, and email setup goes on with it.
	if next := h.respond(mfaOnClient, "MFA_SETUP", ch.str("Session"), map[string]string{"USERNAME": "new-user", "EMAIL": "new@example.com"}); next.str("ChallengeName") != "EMAIL_OTP" {
		t.Errorf("MFA_SETUP(EMAIL) after the refused token = %s; want EMAIL_OTP", next.raw)
	}
}
