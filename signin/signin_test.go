package signin

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

const (
	testPool   = "us-east-1_TestPool1"
	testClient = "testclient123"
	testSecret = "client-secret-0123456789"
)

func testUsers() []*fakeUser {
	return []*fakeUser{
		{username: "alice", email: "alice@example.com", password: "Passw0rd!Alice"},
		{username: "bob", password: "Passw0rd!Bob", newPasswordRequired: true},
		{username: "zoë", password: "pässwörd✓"},
	}
}

func newTestClient(t *testing.T, endpoint, secret string) *Client {
	t.Helper()
	c, err := New(Config{UserPoolID: testPool, ClientID: testClient, ClientSecret: secret, Endpoint: endpoint})
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	return c
}

// apiCode returns the smithy.APIError code and message of err, or "" if it has none.
func apiCode(err error) (string, string) {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode(), api.ErrorMessage()
	}
	return "", ""
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name      string
		cfg       Config
		wantField string // "" means valid
	}{
		{"ok", Config{UserPoolID: "us-east-1_AbC123", ClientID: "abc"}, ""},
		{"ok with endpoint and region", Config{UserPoolID: "eu-west-1_X", ClientID: "a_b+c", Region: "eu-west-1", Endpoint: "http://127.0.0.1:9229"}, ""},
		{"no pool", Config{ClientID: "abc"}, "UserPoolId"},
		{"pool without underscore", Config{UserPoolID: "useast1AbC", ClientID: "abc"}, "UserPoolId"},
		{"pool without name", Config{UserPoolID: "us-east-1_", ClientID: "abc"}, "UserPoolId"},
		{"pool without region", Config{UserPoolID: "_AbC", ClientID: "abc"}, "UserPoolId"},
		{"pool with bad region", Config{UserPoolID: "US EAST_AbC", ClientID: "abc"}, "UserPoolId"},
		{"pool too long", Config{UserPoolID: "us-east-1_" + strings.Repeat("a", 60), ClientID: "abc"}, "UserPoolId"},
		{"no client", Config{UserPoolID: "us-east-1_AbC"}, "ClientId"},
		{"client with space", Config{UserPoolID: "us-east-1_AbC", ClientID: "a b"}, "ClientId"},
		{"client too long", Config{UserPoolID: "us-east-1_AbC", ClientID: strings.Repeat("a", 200)}, "ClientId"},
		{"secret too long", Config{UserPoolID: "us-east-1_AbC", ClientID: "abc", ClientSecret: strings.Repeat("s", 600)}, "ClientSecret"},
		{"bad region", Config{UserPoolID: "us-east-1_AbC", ClientID: "abc", Region: "Mars/1"}, "Region"},
		{"relative endpoint", Config{UserPoolID: "us-east-1_AbC", ClientID: "abc", Endpoint: "/cognito"}, "Endpoint"},
		{"ftp endpoint", Config{UserPoolID: "us-east-1_AbC", ClientID: "abc", Endpoint: "ftp://host/"}, "Endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg)
			if tt.wantField == "" {
				if err != nil || c == nil {
					t.Fatalf("New(%+v) = %v, %v; want a client", tt.cfg, c, err)
				}
				return
			}
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Field != tt.wantField || c != nil {
				t.Fatalf("New(%+v) = %v, %v; want nil and a ParamError on %s", tt.cfg, c, err, tt.wantField)
			}
			if code, _ := apiCode(err); code != "InvalidParameterException" {
				t.Errorf("New(%+v) error code = %q; want InvalidParameterException", tt.cfg, code)
			}
		})
	}
}

func TestDefaultRegionIsPoolPrefix(t *testing.T) {
	c, err := New(Config{UserPoolID: "ap-southeast-2_AbC", ClientID: "abc"})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.api.Options().Region; got != "ap-southeast-2" {
		t.Errorf("region = %q; want ap-southeast-2", got)
	}
}

func TestSRPSignIn(t *testing.T) {
	tests := []struct {
		name     string
		secret   string
		username string
		password string
		wantUser string // owner of the tokens; "" when an error is expected
		wantCode string
		wantMsg  string
	}{
		{"by username", "", "alice", "Passw0rd!Alice", "alice", "", ""},
		{"by email alias", "", "alice@example.com", "Passw0rd!Alice", "alice", "", ""},
		{"non-ASCII name and password", "", "zoë", "pässwörd✓", "zoë", "", ""},
		{"with client secret", testSecret, "alice", "Passw0rd!Alice", "alice", "", ""},
		{"alias with client secret", testSecret, "alice@example.com", "Passw0rd!Alice", "alice", "", ""},
		{"wrong password", "", "alice", "Passw0rd!Alicf", "", "NotAuthorizedException", "Incorrect username or password."},
		{"wrong password by alias", testSecret, "alice@example.com", "nope", "", "NotAuthorizedException", "Incorrect username or password."},
		{"unknown user", "", "mallory", "whatever1", "", "UserNotFoundException", "User does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, srv := newFake(t, testPool, testClient, tt.secret, testUsers()...)
			c := newTestClient(t, srv.URL, tt.secret)
			step, err := c.Initiate(ctxT(t), InitiateInput{AuthFlow: "USER_SRP_AUTH",
				AuthParameters: map[string]string{"USERNAME": tt.username, "PASSWORD": tt.password}})
			if tt.wantCode != "" {
				code, msg := apiCode(err)
				if code != tt.wantCode || msg != tt.wantMsg {
					t.Fatalf("Initiate(%q) error = %v (code %q, message %q); want %s: %s", tt.username, err, code, msg, tt.wantCode, tt.wantMsg)
				}
				if strings.Contains(err.Error(), tt.password) {
					t.Errorf("Initiate(%q) error %q contains the password", tt.username, err)
				}
			} else {
				if err != nil {
					t.Fatalf("Initiate(%q) = %v; want tokens", tt.username, err)
				}
				res := step.AuthenticationResult
				if res == nil || res.AccessToken != "access-"+tt.wantUser || res.IdToken != "id-"+tt.wantUser ||
					res.RefreshToken != "refresh-"+tt.wantUser || res.ExpiresIn != 3600 || res.TokenType != "Bearer" {
					t.Fatalf("Initiate(%q) = %+v (tokens %+v); want the tokens of %s", tt.username, step, res, tt.wantUser)
				}
			}
			if fake.sent(tt.password) {
				t.Errorf("Initiate(%q) sent the password over the wire", tt.username)
			}
			if !fake.sent(`"SRP_A":"`) {
				t.Errorf("Initiate(%q) sent no SRP_A", tt.username)
			}
		})
	}
}

// TestSecretHashUsesTheRightName proves SECRET_HASH is computed over the typed
// name at InitiateAuth and over the challenge's USERNAME in the response: the
// fake checks both, and a sign-in by alias makes the two differ.
func TestSecretHashUsesTheRightName(t *testing.T) {
	fake, srv := newFake(t, testPool, testClient, testSecret, testUsers()...)
	c := newTestClient(t, srv.URL, testSecret)
	if _, err := c.Initiate(ctxT(t), InitiateInput{AuthFlow: "USER_SRP_AUTH",
		AuthParameters: map[string]string{"USERNAME": "alice@example.com", "PASSWORD": "Passw0rd!Alice"}}); err != nil {
		t.Fatalf("Initiate(alias) = %v; want tokens", err)
	}
	for _, name := range []string{"alice@example.com", "alice"} {
		if h := srp.SecretHash(name, testClient, testSecret); !fake.sent(h) {
			t.Errorf("no request carried SECRET_HASH over %q (%s)", name, h)
		}
	}
	// A client configured with the wrong secret is refused with Cognito's error.
	bad := newTestClient(t, srv.URL, "wrong-secret")
	_, err := bad.Initiate(ctxT(t), InitiateInput{AuthFlow: "USER_SRP_AUTH",
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!Alice"}})
	if code, msg := apiCode(err); code != "NotAuthorizedException" || !strings.Contains(msg, "SECRET_HASH") {
		t.Errorf("Initiate with a wrong secret = %v; want NotAuthorizedException about SECRET_HASH", err)
	}
}

func TestMaliciousServerValues(t *testing.T) {
	nHex := srp.Hex(srp.N())
	tests := []struct {
		name    string
		tamper  func(cp map[string]string)
		wantMsg string
	}{
		{"B is zero", func(cp map[string]string) { cp["SRP_B"] = "0" }, "SRP_B"},
		{"B is N", func(cp map[string]string) { cp["SRP_B"] = nHex }, "SRP_B"},
		{"B is 2N", func(cp map[string]string) { cp["SRP_B"] = srp.Hex(srp.N().Lsh(srp.N(), 1)) }, "SRP_B"},
		{"B is negative", func(cp map[string]string) { cp["SRP_B"] = "-" + cp["SRP_B"] }, "SRP_B"},
		{"B is not hex", func(cp map[string]string) { cp["SRP_B"] = "zz" + cp["SRP_B"] }, "SRP_B"},
		{"B is empty", func(cp map[string]string) { cp["SRP_B"] = "" }, "SRP_B"},
		{"B is huge", func(cp map[string]string) { cp["SRP_B"] = strings.Repeat("f", 5000) }, "SRP_B"},
		{"salt is not hex", func(cp map[string]string) { cp["SALT"] = "xyz" }, "SALT"},
		{"salt is missing", func(cp map[string]string) { delete(cp, "SALT") }, "SALT"},
		{"secret block is not base64", func(cp map[string]string) { cp["SECRET_BLOCK"] = "!!not base64!!" }, "SECRET_BLOCK"},
		{"secret block is missing", func(cp map[string]string) { delete(cp, "SECRET_BLOCK") }, "SECRET_BLOCK"},
		{"user id is missing", func(cp map[string]string) { delete(cp, "USER_ID_FOR_SRP") }, "USER_ID_FOR_SRP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, srv := newFake(t, testPool, testClient, "", testUsers()...)
			fake.tamper = tt.tamper
			c := newTestClient(t, srv.URL, "")
			step, err := c.Initiate(ctxT(t), InitiateInput{AuthFlow: "USER_SRP_AUTH",
				AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!Alice"}})
			var se *ServerError
			if !errors.As(err, &se) || step != nil {
				t.Fatalf("Initiate against %s = %+v, %v; want a ServerError", tt.name, step, err)
			}
			code, msg := apiCode(err)
			if code != "InvalidServerResponseException" || !strings.Contains(msg, tt.wantMsg) || !strings.Contains(msg, "PASSWORD_VERIFIER") {
				t.Errorf("Initiate against %s: code %q message %q; want InvalidServerResponseException naming %s", tt.name, code, msg, tt.wantMsg)
			}
			if strings.Contains(err.Error(), "Passw0rd!Alice") {
				t.Errorf("error %q contains the password", err)
			}
			if n := fake.attemptsOf("RespondToAuthChallenge"); n != 0 {
				t.Errorf("engine answered a bad challenge %d times; want 0", n)
			}
		})
	}
}

func TestPassThroughFlows(t *testing.T) {
	for _, secret := range []string{"", testSecret} {
		t.Run("secret="+secret, func(t *testing.T) {
			fake, srv := newFake(t, testPool, testClient, secret, testUsers()...)
			c := newTestClient(t, srv.URL, secret)
			step, err := c.Initiate(ctxT(t), InitiateInput{AuthFlow: "USER_PASSWORD_AUTH",
				AuthParameters: map[string]string{"USERNAME": "alice@example.com", "PASSWORD": "Passw0rd!Alice"}})
			if err != nil || step.AuthenticationResult == nil || step.AuthenticationResult.RefreshToken != "refresh-alice" {
				t.Fatalf("Initiate(USER_PASSWORD_AUTH) = %+v, %v; want alice's tokens", step, err)
			}
			step, err = c.Initiate(ctxT(t), InitiateInput{AuthFlow: "REFRESH_TOKEN_AUTH",
				AuthParameters: map[string]string{"REFRESH_TOKEN": "refresh-alice", "USERNAME": "alice"}})
			if err != nil || step.AuthenticationResult == nil || step.AuthenticationResult.AccessToken != "access-alice" {
				t.Fatalf("Initiate(REFRESH_TOKEN_AUTH) = %+v, %v; want alice's new tokens", step, err)
			}
			if secret != "" && !fake.sent(srp.SecretHash("alice", testClient, secret)) {
				t.Errorf("refresh sent no SECRET_HASH over the real username")
			}
			_, err = c.Initiate(ctxT(t), InitiateInput{AuthFlow: "USER_PASSWORD_AUTH",
				AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "bad"}})
			if code, msg := apiCode(err); code != "NotAuthorizedException" || msg != "Incorrect username or password." {
				t.Errorf("Initiate(USER_PASSWORD_AUTH, wrong password) = %v; want NotAuthorizedException", err)
			}
		})
	}
}

func TestRefreshWithSecretNeedsUsername(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", testSecret)
	_, err := c.Initiate(ctxT(t), InitiateInput{AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": "refresh-alice"}})
	var pe *ParamError
	if !errors.As(err, &pe) || pe.Field != "AuthParameters.USERNAME" {
		t.Errorf("refresh without USERNAME = %v; want a ParamError on AuthParameters.USERNAME", err)
	}
}

// TestOtherChallengesReturnToCaller walks NEW_PASSWORD_REQUIRED: the engine
// returns it, and Respond answers it with SECRET_HASH added.
func TestOtherChallengesReturnToCaller(t *testing.T) {
	_, srv := newFake(t, testPool, testClient, testSecret, testUsers()...)
	c := newTestClient(t, srv.URL, testSecret)
	step, err := c.Initiate(ctxT(t), InitiateInput{AuthFlow: "USER_SRP_AUTH",
		AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": "Passw0rd!Bob"}})
	if err != nil || step.ChallengeName != "NEW_PASSWORD_REQUIRED" || step.Session == "" || step.AuthenticationResult != nil {
		t.Fatalf("Initiate(bob) = %+v, %v; want a NEW_PASSWORD_REQUIRED challenge", step, err)
	}
	if got := step.ChallengeParameters["USER_ID_FOR_SRP"]; got != "bob" {
		t.Errorf("ChallengeParameters[USER_ID_FOR_SRP] = %q; want bob", got)
	}
	short, err := c.Respond(ctxT(t), RespondInput{ChallengeName: step.ChallengeName, Session: step.Session,
		ChallengeResponses: map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "short"}})
	if code, _ := apiCode(err); code != "InvalidPasswordException" || short != nil {
		t.Fatalf("Respond(short password) = %+v, %v; want InvalidPasswordException", short, err)
	}
	// The fake, like Cognito, spent the session on the failed answer.
	step, err = c.Initiate(ctxT(t), InitiateInput{AuthFlow: "USER_SRP_AUTH",
		AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": "Passw0rd!Bob"}})
	if err != nil {
		t.Fatal(err)
	}
	done, err := c.Respond(ctxT(t), RespondInput{ChallengeName: step.ChallengeName, Session: step.Session,
		ChallengeResponses: map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "N3w-Passw0rd!"}})
	if err != nil || done.AuthenticationResult == nil || done.AuthenticationResult.AccessToken != "access-bob" {
		t.Fatalf("Respond(NEW_PASSWORD) = %+v, %v; want bob's tokens", done, err)
	}
}

func TestBadArguments(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", "")
	big := strings.Repeat("x", MaxValueLen+1)
	many := map[string]string{}
	for i := 0; i <= MaxMapEntries; i++ {
		many[strings.Repeat("k", i+1)] = "v"
	}
	initTests := []struct {
		name      string
		in        InitiateInput
		wantField string
	}{
		{"no flow", InitiateInput{AuthParameters: map[string]string{"USERNAME": "a"}}, "AuthFlow"},
		{"lowercase flow", InitiateInput{AuthFlow: "user_srp_auth"}, "AuthFlow"},
		{"flow too long", InitiateInput{AuthFlow: strings.Repeat("A", 200)}, "AuthFlow"},
		{"srp without username", InitiateInput{AuthFlow: "USER_SRP_AUTH", AuthParameters: map[string]string{"PASSWORD": "p"}}, "AuthParameters.USERNAME"},
		{"srp without password", InitiateInput{AuthFlow: "USER_SRP_AUTH", AuthParameters: map[string]string{"USERNAME": "a"}}, "AuthParameters.PASSWORD"},
		{"srp with nil parameters", InitiateInput{AuthFlow: "USER_SRP_AUTH"}, "AuthParameters.USERNAME"},
		{"password flow without password", InitiateInput{AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: map[string]string{"USERNAME": "a"}}, "AuthParameters.PASSWORD"},
		{"refresh without token", InitiateInput{AuthFlow: "REFRESH_TOKEN_AUTH"}, "AuthParameters.REFRESH_TOKEN"},
		{"huge value", InitiateInput{AuthFlow: "USER_SRP_AUTH", AuthParameters: map[string]string{"USERNAME": big, "PASSWORD": "p"}}, "AuthParameters.USERNAME"},
		{"too many entries", InitiateInput{AuthFlow: "USER_SRP_AUTH", AuthParameters: many}, "AuthParameters"},
		{"invalid UTF-8", InitiateInput{AuthFlow: "USER_SRP_AUTH", AuthParameters: map[string]string{"USERNAME": "a\xff", "PASSWORD": "p"}}, "AuthParameters.USERNAME"},
		{"metadata too many", InitiateInput{AuthFlow: "USER_SRP_AUTH", AuthParameters: map[string]string{"USERNAME": "a", "PASSWORD": "p"}, ClientMetadata: many}, "ClientMetadata"},
	}
	for _, tt := range initTests {
		t.Run("Initiate/"+tt.name, func(t *testing.T) {
			step, err := c.Initiate(ctxT(t), tt.in)
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Field != tt.wantField || step != nil {
				t.Fatalf("Initiate(%.80v) = %v, %v; want a ParamError on %s", tt.in, step, err, tt.wantField)
			}
			if code, msg := apiCode(err); code != "InvalidParameterException" || !strings.HasPrefix(msg, tt.wantField+" ") {
				t.Errorf("Initiate error code %q message %q; want InvalidParameterException naming %s", code, msg, tt.wantField)
			}
		})
	}
	respTests := []struct {
		name      string
		in        RespondInput
		wantField string
	}{
		{"no challenge", RespondInput{ChallengeResponses: map[string]string{"USERNAME": "a"}}, "ChallengeName"},
		{"no username", RespondInput{ChallengeName: "SMS_MFA", ChallengeResponses: map[string]string{"SMS_MFA_CODE": "1"}}, "ChallengeResponses.USERNAME"},
		{"huge session", RespondInput{ChallengeName: "SMS_MFA", Session: strings.Repeat("s", MaxSessionLen+1), ChallengeResponses: map[string]string{"USERNAME": "a"}}, "Session"},
		{"huge answer", RespondInput{ChallengeName: "SMS_MFA", ChallengeResponses: map[string]string{"USERNAME": "a", "SMS_MFA_CODE": big}}, "ChallengeResponses.SMS_MFA_CODE"},
	}
	for _, tt := range respTests {
		t.Run("Respond/"+tt.name, func(t *testing.T) {
			step, err := c.Respond(ctxT(t), tt.in)
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Field != tt.wantField || step != nil {
				t.Fatalf("Respond(%.80v) = %v, %v; want a ParamError on %s", tt.in, step, err, tt.wantField)
			}
		})
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name         string
		status       int
		typ          string
		wantAttempts int
	}{
		{"NotAuthorizedException is not retried", 400, "NotAuthorizedException", 1},
		{"InternalErrorException is retried", 500, "InternalErrorException", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, srv := newFake(t, testPool, testClient, "", testUsers()...)
			fake.failStatus, fake.failType = tt.status, tt.typ
			c := newTestClient(t, srv.URL, "")
			_, err := c.Initiate(ctxT(t), InitiateInput{AuthFlow: "USER_PASSWORD_AUTH",
				AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "x"}})
			if code, _ := apiCode(err); code != tt.typ {
				t.Fatalf("Initiate = %v; want %s", err, tt.typ)
			}
			if n := fake.attemptsOf("InitiateAuth"); n != tt.wantAttempts {
				t.Errorf("InitiateAuth attempts = %d; want %d", n, tt.wantAttempts)
			}
		})
	}
}

// TestInjectedTimeAndRandomness pins TIMESTAMP and SRP_A through Config.
func TestInjectedTimeAndRandomness(t *testing.T) {
	fake, srv := newFake(t, testPool, testClient, "", testUsers()...)
	when := time.Date(2019, 1, 1, 18, 6, 9, 0, time.UTC)
	seed := strings.Repeat("\x07", srp.EphemeralBytes)
	c, err := New(Config{UserPoolID: testPool, ClientID: testClient, Endpoint: srv.URL,
		Now: func() time.Time { return when }, Random: strings.NewReader(seed)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Initiate(ctxT(t), InitiateInput{AuthFlow: "USER_SRP_AUTH",
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!Alice"}}); err != nil {
		t.Fatalf("Initiate = %v", err)
	}
	sc, err := srp.NewClient(srp.WithRandom(strings.NewReader(seed)))
	if err != nil {
		t.Fatal(err)
	}
	if !fake.sent(`"SRP_A":"` + sc.A() + `"`) {
		t.Errorf("SRP_A was not drawn from Config.Random")
	}
	if !fake.sent(`"TIMESTAMP":"Tue Jan 1 18:06:09 UTC 2019"`) {
		t.Errorf("TIMESTAMP was not taken from Config.Now")
	}
}
