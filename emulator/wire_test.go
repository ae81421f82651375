package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

func TestMalformedRequests(t *testing.T) {
	h := demoHarness(t)
	tests := []struct {
		name       string
		op         string
		body       string
		signed     bool
		wantStatus int
		wantType   string
		wantMsg    string // substring
	}{
		{"not JSON", "InitiateAuth", `{"AuthFlow":`, false, 400, "SerializationException", "Unable to parse"},
		{"JSON array", "InitiateAuth", `[1,2]`, false, 400, "SerializationException", "JSON object"},
		{"JSON string", "InitiateAuth", `"x"`, false, 400, "SerializationException", "JSON object"},
		{"trailing data", "InitiateAuth", `{} {}`, false, 400, "SerializationException", "Unexpected data"},
		{"wrong type", "InitiateAuth", `{"AuthFlow":7,"ClientId":"x"}`, false, 400, "SerializationException", "AuthFlow"},
		{"params not a map", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH","ClientId":"x","AuthParameters":[]}`, false, 400, "SerializationException", "AuthParameters"},
		{"map value not string", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH","ClientId":"x","AuthParameters":{"USERNAME":1}}`, false, 400, "SerializationException", ""},
		{"lone surrogate", "InitiateAuth", `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"` + demoClient + `","AuthParameters":{"USERNAME":"alice","PASSWORD":"Passw0rd!Dem\ud800"}}`, false, 400, "SerializationException", "not valid Unicode"},
		{"invalid UTF-8", "InitiateAuth", "{\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"ClientId\":\"" + demoClient + "\",\"AuthParameters\":{\"USERNAME\":\"alice\xff\"}}", false, 400, "SerializationException", "not valid Unicode"},
		{"empty body", "InitiateAuth", ``, false, 400, "InvalidParameterException",
			"2 validation errors detected: Value null at 'authFlow' failed to satisfy constraint: Member must not be null; Value null at 'clientId' failed to satisfy constraint: Member must not be null"},
		{"missing client id", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH"}`, false, 400, "InvalidParameterException",
			"1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null"},
		{"unknown auth flow", "InitiateAuth", `{"AuthFlow":"MAGIC","ClientId":"x"}`, false, 400, "InvalidParameterException", "Value 'MAGIC' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set"},
		{"client id too long", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH","ClientId":"` + strings.Repeat("a", 129) + `"}`, false, 400, "InvalidParameterException", "length less than or equal to 128"},
		{"client id bad chars", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH","ClientId":"a b"}`, false, 400, "InvalidParameterException", "regular expression pattern"},
		{"unknown client", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH","ClientId":"nosuchclient"}`, false, 400, "ResourceNotFoundException", "User pool client nosuchclient does not exist."},
		{"missing USERNAME", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH","ClientId":"` + demoClient + `","AuthParameters":{"SRP_A":"abc"}}`, false, 400, "InvalidParameterException", "Missing required parameter USERNAME"},
		{"missing SRP_A", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH","ClientId":"` + demoClient + `","AuthParameters":{"USERNAME":"alice"}}`, false, 400, "InvalidParameterException", "Missing required parameter SRP_A"},
		{"SRP_A not hex", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH","ClientId":"` + demoClient + `","AuthParameters":{"USERNAME":"alice","SRP_A":"xyz"}}`, false, 400, "InvalidParameterException", "SRP_A"},
		{"SRP_A zero", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH","ClientId":"` + demoClient + `","AuthParameters":{"USERNAME":"alice","SRP_A":"0"}}`, false, 400, "InvalidParameterException", "SRP_A"},
		{"SRP_A oversized", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH","ClientId":"` + demoClient + `","AuthParameters":{"USERNAME":"alice","SRP_A":"` + strings.Repeat("f", 5000) + `"}}`, false, 400, "InvalidParameterException", "SRP_A"},
		{"too many params", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH","ClientId":"` + demoClient + `","AuthParameters":{` + manyParams(40) + `}}`, false, 400, "InvalidParameterException", "Too many entries in AuthParameters"},
		{"missing PASSWORD", "InitiateAuth", `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"` + demoClient + `","AuthParameters":{"USERNAME":"alice"}}`, false, 400, "InvalidParameterException", "Missing required parameter PASSWORD"},
		{"missing REFRESH_TOKEN", "InitiateAuth", `{"AuthFlow":"REFRESH_TOKEN_AUTH","ClientId":"` + demoClient + `","AuthParameters":{}}`, false, 400, "InvalidParameterException", "Missing required parameter REFRESH_TOKEN"},
		{"admin flow on InitiateAuth", "InitiateAuth", `{"AuthFlow":"ADMIN_USER_PASSWORD_AUTH","ClientId":"` + demoClient + `"}`, false, 400, "InvalidParameterException", "Initiate Auth method not supported."},
		{"respond without challenge name", "RespondToAuthChallenge", `{"ClientId":"` + demoClient + `"}`, false, 400, "InvalidParameterException", "Value null at 'challengeName'"},
		{"respond unknown challenge", "RespondToAuthChallenge", `{"ClientId":"` + demoClient + `","ChallengeName":"NOPE"}`, false, 400, "InvalidParameterException", "Value 'NOPE' at 'challengeName'"},
		{"respond missing USERNAME", "RespondToAuthChallenge", `{"ClientId":"` + demoClient + `","ChallengeName":"PASSWORD_VERIFIER","ChallengeResponses":{}}`, false, 400, "InvalidParameterException", "Missing required parameter USERNAME"},
		{"respond null responses", "RespondToAuthChallenge", `{"ClientId":"` + demoClient + `","ChallengeName":"PASSWORD_VERIFIER","ChallengeResponses":null}`, false, 400, "InvalidParameterException", "Missing required parameter USERNAME"},
		{"respond session too long", "RespondToAuthChallenge", `{"ClientId":"` + demoClient + `","ChallengeName":"PASSWORD_VERIFIER","Session":"` + strings.Repeat("s", 3000) + `"}`, false, 400, "InvalidParameterException", "'session'"},
		{"oversized body", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH","ClientId":"` + strings.Repeat(" ", MaxBodyBytes) + `"}`, false, 413, "RequestEntityTooLargeException", "65536"},
		{"unknown operation", "DoMagic", `{}`, false, 400, "UnknownOperationException", "DoMagic"},
		{"no target", "", `{}`, false, 400, "UnknownOperationException", ""},
		{"unsigned admin call", "AdminGetUser", `{"UserPoolId":"` + demoPool + `","Username":"alice"}`, false, 400, "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"unsigned pool creation", "CreateUserPool", `{"PoolName":"x"}`, false, 400, "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"unknown pool", "DescribeUserPool", `{"UserPoolId":"us-east-1_nope"}`, true, 400, "ResourceNotFoundException", "User pool us-east-1_nope does not exist."},
		{"bad pool id", "DescribeUserPool", `{"UserPoolId":"nounderscore"}`, true, 400, "InvalidParameterException", "'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		{"GetUser garbage token", "GetUser", `{"AccessToken":"a.b.c"}`, false, 400, "NotAuthorizedException", "Invalid Access Token"},
		{"GetUser no token", "GetUser", `{}`, false, 400, "InvalidParameterException", "Value null at 'accessToken'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.rawCall(tt.op, []byte(tt.body), tt.signed)
			if got.status != tt.wantStatus || got.errType() != tt.wantType || !strings.Contains(got.message(), tt.wantMsg) {
				t.Errorf("%s(%.60q) = %d %s %q; want %d %s containing %q", tt.op, tt.body, got.status, got.errType(), got.message(), tt.wantStatus, tt.wantType, tt.wantMsg)
			}
			if got.header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("Access-Control-Allow-Origin = %q; want *", got.header.Get("Access-Control-Allow-Origin"))
			}
		})
	}
	// The emulator is still whole: a normal sign-in works after all of that.
	if res := h.srpSignIn(demoPool, demoClient, "alice", demoPass); res.status != http.StatusOK {
		t.Errorf("sign-in after malformed requests = %d %s; want 200", res.status, res.message())
	}
}

func manyParams(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"K` + strings.Repeat("x", i) + `":"v"`)
	}
	return b.String()
}

func TestPanicBecomesInternalError(t *testing.T) {
	h := demoHarness(t)
	h.emu.ops["Explode"] = operation{run: handle(func(*Emulator, context.Context, *emptyRequest) (*struct{}, error) { panic("boom: secret detail") })}
	got := h.rawCall("Explode", []byte(`{}`), false)
	if got.status != http.StatusInternalServerError || got.errType() != "InternalErrorException" {
		t.Errorf("Explode = %d %s; want 500 InternalErrorException", got.status, got.errType())
	}
	if strings.Contains(string(got.raw), "boom") {
		t.Errorf("500 body %q leaks the panic", got.raw)
	}
	if res := h.srpSignIn(demoPool, demoClient, "alice", demoPass); res.status != http.StatusOK {
		t.Errorf("sign-in after a panic = %d %s; want 200", res.status, res.message())
	}
}

func TestCORS(t *testing.T) {
	h := demoHarness(t)
	tests := []struct {
		name, method, path string
		reqHeaders         string
	}{
		{"preflight root", http.MethodOptions, "/", "content-type,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request"},
		{"preflight signed", http.MethodOptions, "/", "authorization,x-amz-date,x-amz-content-sha256,x-amz-security-token,content-type,x-amz-target"},
		{"preflight jwks", http.MethodOptions, "/" + demoPool + "/.well-known/jwks.json", "cache-control"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, h.srv.URL+tt.path, nil)
			req.Header.Set("Origin", "http://localhost:8080")
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", tt.reqHeaders)
			resp, err := h.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("OPTIONS %s = %d; want 200", tt.path, resp.StatusCode)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Allow-Origin = %q; want *", got)
			}
			allowed := resp.Header.Get("Access-Control-Allow-Headers")
			for _, hdr := range strings.Split(tt.reqHeaders, ",") {
				if !strings.Contains(allowed, hdr) {
					t.Errorf("Allow-Headers %q lacks %q", allowed, hdr)
				}
			}
			if !strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
				t.Errorf("Allow-Methods = %q; want POST", resp.Header.Get("Access-Control-Allow-Methods"))
			}
		})
	}
	t.Run("error type not exposed", func(t *testing.T) {
		got := h.call("InitiateAuth", m{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": demoClient,
			"AuthParameters": m{"USERNAME": "alice", "PASSWORD": "nope"}}, false)
		if got.header.Get("X-Amzn-ErrorType") != "NotAuthorizedException" {
			t.Errorf("X-Amzn-ErrorType = %q; want NotAuthorizedException", got.header.Get("X-Amzn-ErrorType"))
		}
		if exp := strings.ToLower(got.header.Get("Access-Control-Expose-Headers")); strings.Contains(exp, "errortype") {
			t.Errorf("Access-Control-Expose-Headers = %q; must not expose X-Amzn-ErrorType", exp)
		}
	})
}

func TestWellKnown(t *testing.T) {
	h := demoHarness(t)
	tests := []struct {
		name, path string
		wantStatus int
		wantKey    string
	}{
		{"jwks", "/" + demoPool + "/.well-known/jwks.json", 200, "keys"},
		{"openid configuration", "/" + demoPool + "/.well-known/openid-configuration", 200, "jwks_uri"},
		{"unknown pool", "/us-east-1_nope/.well-known/jwks.json", 404, "message"},
		{"unknown document", "/" + demoPool + "/.well-known/other", 404, "message"},
		{"bad pool id", "/..%2f/.well-known/jwks.json", 404, "message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := h.srv.Client().Get(h.srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("GET %s: %v", tt.path, err)
			}
			if resp.StatusCode != tt.wantStatus || body[tt.wantKey] == nil {
				t.Errorf("GET %s = %d %v; want %d with %q", tt.path, resp.StatusCode, body, tt.wantStatus, tt.wantKey)
			}
			if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("GET %s: no Allow-Origin", tt.path)
			}
		})
	}
	t.Run("configuration is consistent", func(t *testing.T) {
		resp, err := h.srv.Client().Get(h.srv.URL + "/" + demoPool + "/.well-known/openid-configuration")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var cfg struct {
			Issuer  string `json:"issuer"`
			JwksURI string `json:"jwks_uri"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&cfg)
		if cfg.Issuer != "https://cognito-idp.us-east-1.amazonaws.com/"+demoPool {
			t.Errorf("issuer = %q", cfg.Issuer)
		}
		if cfg.JwksURI != h.srv.URL+"/"+demoPool+"/.well-known/jwks.json" {
			t.Errorf("jwks_uri = %q; want %q", cfg.JwksURI, h.srv.URL+"/"+demoPool+"/.well-known/jwks.json")
		}
	})
}

// FuzzSignIn throws arbitrary bodies at the sign-in operations: whatever
// arrives, the answer is a well-formed 200 or 4xx, never a 500 or a crash.
func FuzzSignIn(f *testing.F) {
	s := demoSeed()
	s.UserPools = append(s.UserPools, mfaSeed().UserPools...)
	emu, err := New(Config{SigningKey: sharedKey(f)})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = emu.Close() })
	if err := emu.Seed(s); err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		`{"AuthFlow":"USER_SRP_AUTH","ClientId":"` + demoClient + `","AuthParameters":{"USERNAME":"alice","SRP_A":"02"}}`,
		`{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"` + demoClient + `","AuthParameters":{"USERNAME":"alice@example.com","PASSWORD":"x"}}`,
		`{"AuthFlow":"REFRESH_TOKEN","ClientId":"` + demoClient + `","AuthParameters":{"REFRESH_TOKEN":"abc"}}`,
		`{"ClientId":"` + demoClient + `","ChallengeName":"PASSWORD_VERIFIER","Session":"x","ChallengeResponses":{"USERNAME":"alice","PASSWORD_CLAIM_SECRET_BLOCK":"AA==","TIMESTAMP":"Sat Mar 7 15:04:05 UTC 2026","PASSWORD_CLAIM_SIGNATURE":"AA=="}}`,
		`{"ClientId":"` + demoClient + `","ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"x","ChallengeResponses":{"USERNAME":"alice","NEW_PASSWORD":"Abcdef1!"}}`,
		`{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"` + mfaClient + `","AuthParameters":{"USERNAME":"sms-user","PASSWORD":"` + mfaPass + `"}}`,
		`{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"` + mfaOnClient + `","AuthParameters":{"USERNAME":"new-user","PASSWORD":"` + mfaPass + `"}}`,
		`{"ClientId":"` + mfaClient + `","ChallengeName":"SMS_MFA","Session":"x","ChallengeResponses":{"USERNAME":"sms-user","SMS_MFA_CODE":"123456"}}`,
		`{"ClientId":"` + mfaClient + `","ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"x","ChallengeResponses":{"USERNAME":"totp-user","SOFTWARE_TOKEN_MFA_CODE":"123456"}}`,
		`{"ClientId":"` + mfaClient + `","ChallengeName":"SELECT_MFA_TYPE","Session":"x","ChallengeResponses":{"USERNAME":"multi-user","ANSWER":"SMS_MFA"}}`,
		`{"ClientId":"` + mfaOnClient + `","ChallengeName":"MFA_SETUP","Session":"x","ChallengeResponses":{"USERNAME":"new-user","EMAIL":"a@b.c"}}`,
		`{"authflow":"USER_SRP_AUTH","CLIENTID":"` + demoClient + `"}`,
		`{}`, `[]`, `null`, `{"AuthParameters":{"":""}}`,
	} {
		f.Add(seed, true)
		f.Add(seed, false)
	}
	f.Fuzz(func(t *testing.T, body string, initiate bool) {
		op := "RespondToAuthChallenge"
		if initiate {
			op = "InitiateAuth"
		}
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader([]byte(body)))
		req.Header.Set("X-Amz-Target", targetPrefix+op)
		rec := httptest.NewRecorder()
		emu.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && (rec.Code < 400 || rec.Code >= 500) {
			t.Fatalf("%s(%q) = %d %s; want 200 or 4xx", op, body, rec.Code, rec.Body.String())
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s(%q) body %q is not a JSON object", op, body, rec.Body.String())
		}
		if rec.Code != http.StatusOK && out["__type"] == nil {
			t.Fatalf("%s(%q) error body %q has no __type", op, body, rec.Body.String())
		}
	})
}

// emptyRequest is a request with no members, for test-only operations.
type emptyRequest struct{}

func (emptyRequest) validate() error { return nil }

// TestMemberNamesCaseSensitive: AWS matches JSON member names exactly, so a
// wrongly-cased member is an unknown one, ignored, and what it meant to set
// is reported missing.
func TestMemberNamesCaseSensitive(t *testing.T) {
	h := demoHarness(t)
	tests := []struct {
		name     string
		op       string
		body     string
		signed   bool
		wantType string
		wantMsg  string
	}{
		{"all lower case", "InitiateAuth", `{"authflow":"USER_PASSWORD_AUTH","clientid":"` + demoClient + `","authparameters":{"USERNAME":"alice","PASSWORD":"` + demoPass + `"}}`, false,
			"InvalidParameterException", "2 validation errors detected: Value null at 'authFlow' failed to satisfy constraint: Member must not be null; Value null at 'clientId' failed to satisfy constraint: Member must not be null"},
		{"upper case client id", "InitiateAuth", `{"AuthFlow":"USER_PASSWORD_AUTH","CLIENTID":"` + demoClient + `","AuthParameters":{"USERNAME":"alice","PASSWORD":"` + demoPass + `"}}`, false,
			"InvalidParameterException", "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null"},
		{"camel-case parameters", "InitiateAuth", `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"` + demoClient + `","authParameters":{"USERNAME":"alice","PASSWORD":"` + demoPass + `"}}`, false,
			"InvalidParameterException", "Missing required parameter USERNAME"},
		{"challenge name lower case", "RespondToAuthChallenge", `{"ClientId":"` + demoClient + `","challengeName":"PASSWORD_VERIFIER"}`, false,
			"InvalidParameterException", "1 validation error detected: Value null at 'challengeName' failed to satisfy constraint: Member must not be null"},
		{"nested member lower case", "AdminCreateUser", `{"UserPoolId":"` + demoPool + `","Username":"newbie","UserAttributes":[{"name":"email","Value":"n@example.com"}]}`, true,
			"InvalidParameterException", "Value null at 'userAttributes.1.member.name' failed to satisfy constraint: Member must not be null"},
		{"embedded request members", "AdminSetUserPassword", `{"userPoolId":"` + demoPool + `","Username":"alice","Password":"` + demoPass + `"}`, true,
			"InvalidParameterException", "Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.rawCall(tt.op, []byte(tt.body), tt.signed)
			if got.errType() != tt.wantType || !strings.Contains(got.message(), tt.wantMsg) {
				t.Errorf("%s(%q) = %d %s %q; want %s containing %q", tt.op, tt.body, got.status, got.errType(), got.message(), tt.wantType, tt.wantMsg)
			}
		})
	}
	// Exact names with an extra unknown member still work: unknown members are ignored.
	body := `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"` + demoClient + `","authflow":"nonsense","Unknown":{"x":[1]},"AuthParameters":{"USERNAME":"alice","PASSWORD":"` + demoPass + `"}}`
	if got := h.rawCall("InitiateAuth", []byte(body), false); got.status != http.StatusOK || got.str("AuthenticationResult", "IdToken") == "" {
		t.Errorf("InitiateAuth(%q) = %d %s %q; want tokens", body, got.status, got.errType(), got.message())
	}
}

// FuzzOperations throws arbitrary bodies at every operation in the table,
// signed: whatever arrives, the answer is a well-formed 200 or 4xx.
func FuzzOperations(f *testing.F) {
	s := demoSeed()
	s.UserPools = append(s.UserPools, mfaSeed().UserPools...)
	emu, err := New(Config{SigningKey: sharedKey(f)})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = emu.Close() })
	if err := emu.Seed(s); err != nil {
		f.Fatal(err)
	}
	names := make([]string, 0, len(emu.ops))
	for name := range emu.ops {
		names = append(names, name)
	}
	slices.Sort(names)
	for i := range names {
		for _, body := range []string{`{}`, `{"UserPoolId":"` + mfaPool + `","Username":"sms-user"}`,
			`{"UserPoolId":"` + mfaPool + `","MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true}}`,
			`{"Session":"` + strings.Repeat("A", 40) + `","UserCode":"123456"}`, `{"AccessToken":"a.b.c"}`,
			`{"UserPoolId":"` + mfaPool + `","Username":"plain-user","SMSMfaSettings":{"Enabled":true,"PreferredMfa":true}}`,
			`{"ClientId":"` + demoClient + `","Username":"new-user","Password":"Passw0rd!New","UserAttributes":[{"Name":"email","Value":"n@example.com"}]}`,
			`{"ClientId":"` + demoClient + `","Username":"alice","ConfirmationCode":"123456","Password":"Passw0rd!New"}`,
			// Sign-up sessions, passwordless sign-up, threat protection, message templates.
			`{"ClientId":"` + demoClient + `","Username":"alice","ConfirmationCode":"123456","Session":"` + strings.Repeat("B", 40) + `"}`,
			`{"AuthFlow":"USER_AUTH","ClientId":"` + demoClient + `","AuthParameters":{"USERNAME":"alice"},"Session":"` + strings.Repeat("C", 40) + `"}`,
			`{"ClientId":"` + demoClient + `","Username":"nopw","UserAttributes":[{"Name":"email","Value":"nopw@example.com"}]}`,
			`{"UserPoolId":"` + demoPool + `","UserPoolAddOns":{"AdvancedSecurityMode":"AUDIT"},"VerificationMessageTemplate":{"EmailMessage":"c {####}"},"AdminCreateUserConfig":{"AllowAdminCreateUserOnly":true,"InviteMessageTemplate":{"SMSMessage":"{username} {####}"}}}`,
			`{"UserPoolId":"` + demoPool + `","Username":"alice","MaxResults":2,"NextToken":"x"}`} {
			f.Add(uint8(i), body)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		op := names[int(which)%len(names)]
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader([]byte(body)))
		req.Header.Set("X-Amz-Target", targetPrefix+op)
		req.Header.Set("Authorization", sigV4)
		rec := httptest.NewRecorder()
		emu.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && (rec.Code < 400 || rec.Code >= 500) {
			t.Fatalf("%s(%q) = %d %s; want 200 or 4xx", op, body, rec.Code, rec.Body.String())
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s(%q) body %q is not JSON", op, body, rec.Body.String())
		}
	})
}
