//go:build !(js && wasm)

package signin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

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
		{"secret not UTF-8", Config{UserPoolID: "us-east-1_AbC", ClientID: "abc", ClientSecret: "s\xff"}, "ClientSecret"},
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

// TestDefaultRegionIsPoolPrefix: both the anonymous calls (cognitorpc) and
// the Admin ones (the SDK client) go to the pool's region.
func TestDefaultRegionIsPoolPrefix(t *testing.T) {
	tr := &scripted{answer: func(int) (int, string, error) {
		return 400, `{"__type":"NotAuthorizedException","message":"no"}`, nil
	}}
	c, err := New(Config{UserPoolID: "ap-southeast-2_AbC", ClientID: "abc", HTTPClient: tr,
		Credentials: staticCreds("AKIDEXAMPLE", "secret")})
	if err != nil {
		t.Fatal(err)
	}
	in := InitiateInput{AuthFlow: FlowUserPassword, AuthParameters: map[string]string{"USERNAME": "a", "PASSWORD": "p"}}
	c.Initiate(ctxT(t), in)
	in.AuthFlow = FlowAdminUserPass
	c.AdminInitiate(ctxT(t), in)
	if len(tr.reqs) != 2 {
		t.Fatalf("sent %d requests; want 2", len(tr.reqs))
	}
	for _, r := range tr.reqs {
		if r.url != "https://cognito-idp.ap-southeast-2.amazonaws.com/" {
			t.Errorf("%s sent to %s; want the pool's region", r.target, r.url)
		}
	}
}

// TestBadArguments: every entry point refuses bad input with a ParamError
// naming the field, before anything is sent.
func TestBadArguments(t *testing.T) {
	em := newEmulator(t)
	c, tr := emuClient(t, em, emuAliasPool, emuPublic, "")
	anon, err := New(Config{UserPoolID: emuAliasPool, ClientID: emuPublic, Endpoint: emuEndpoint, HTTPClient: tr})
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", MaxValueLen+1)
	many := map[string]string{}
	for i := 0; i <= MaxMapEntries; i++ {
		many[strings.Repeat("k", i+1)] = "v"
	}
	type call struct {
		name      string
		do        func() (any, error)
		wantField string
	}
	initiate := func(in InitiateInput) func() (any, error) {
		return func() (any, error) { return c.Initiate(ctxT(t), in) }
	}
	respond := func(in RespondInput) func() (any, error) {
		return func() (any, error) { return c.Respond(ctxT(t), in) }
	}
	signIn := func(cl *Client, in SignInInput) func() (any, error) {
		return func() (any, error) { return cl.SignIn(ctxT(t), in) }
	}
	pending := &Pending{challenge: "SMS_MFA", session: "s", username: "alice"}
	confirm := func(p *Pending, in ConfirmInput) func() (any, error) {
		return func() (any, error) { return c.ConfirmSignIn(ctxT(t), p, in) }
	}
	calls := []call{
		{"Initiate/no flow", initiate(InitiateInput{AuthParameters: map[string]string{"USERNAME": "a"}}), "AuthFlow"},
		{"Initiate/lowercase flow", initiate(InitiateInput{AuthFlow: "user_srp_auth"}), "AuthFlow"},
		{"Initiate/flow too long", initiate(InitiateInput{AuthFlow: strings.Repeat("A", 200)}), "AuthFlow"},
		{"Initiate/srp without username", initiate(InitiateInput{AuthFlow: "USER_SRP_AUTH", AuthParameters: map[string]string{"PASSWORD": "p"}}), "AuthParameters.USERNAME"},
		{"Initiate/srp without password", initiate(InitiateInput{AuthFlow: "USER_SRP_AUTH", AuthParameters: map[string]string{"USERNAME": "a"}}), "AuthParameters.PASSWORD"},
		{"Initiate/srp with nil parameters", initiate(InitiateInput{AuthFlow: "USER_SRP_AUTH"}), "AuthParameters.USERNAME"},
		{"Initiate/password flow without password", initiate(InitiateInput{AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: map[string]string{"USERNAME": "a"}}), "AuthParameters.PASSWORD"},
		{"Initiate/refresh without token", initiate(InitiateInput{AuthFlow: "REFRESH_TOKEN_AUTH"}), "AuthParameters.REFRESH_TOKEN"},
		{"Initiate/huge value", initiate(InitiateInput{AuthFlow: "USER_SRP_AUTH", AuthParameters: map[string]string{"USERNAME": big, "PASSWORD": "p"}}), "AuthParameters.USERNAME"},
		{"Initiate/too many entries", initiate(InitiateInput{AuthFlow: "USER_SRP_AUTH", AuthParameters: many}), "AuthParameters"},
		{"Initiate/invalid UTF-8", initiate(InitiateInput{AuthFlow: "USER_SRP_AUTH", AuthParameters: map[string]string{"USERNAME": "a\xff", "PASSWORD": "p"}}), "AuthParameters.USERNAME"},
		{"Initiate/metadata too many", initiate(InitiateInput{AuthFlow: "USER_SRP_AUTH", AuthParameters: map[string]string{"USERNAME": "a", "PASSWORD": "p"}, ClientMetadata: many}), "ClientMetadata"},
		{"AdminInitiate/no credentials", func() (any, error) {
			return anon.AdminInitiate(ctxT(t), InitiateInput{AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!Alice"}})
		}, "Credentials"},
		{"Respond/no challenge", respond(RespondInput{ChallengeResponses: map[string]string{"USERNAME": "a"}}), "ChallengeName"},
		{"Respond/no username", respond(RespondInput{ChallengeName: "SMS_MFA", ChallengeResponses: map[string]string{"SMS_MFA_CODE": "1"}}), "ChallengeResponses.USERNAME"},
		{"Respond/huge session", respond(RespondInput{ChallengeName: "SMS_MFA", Session: strings.Repeat("s", MaxSessionLen+1), ChallengeResponses: map[string]string{"USERNAME": "a"}}), "Session"},
		{"Respond/huge answer", respond(RespondInput{ChallengeName: "SMS_MFA", ChallengeResponses: map[string]string{"USERNAME": "a", "SMS_MFA_CODE": big}}), "ChallengeResponses.SMS_MFA_CODE"},
		{"AdminRespond/no credentials", func() (any, error) {
			return anon.AdminRespond(ctxT(t), RespondInput{ChallengeName: "SMS_MFA", ChallengeResponses: map[string]string{"USERNAME": "a", "SMS_MFA_CODE": "1"}})
		}, "Credentials"},
		{"SignIn/no username", signIn(c, SignInInput{Password: "p"}), "Username"},
		{"SignIn/username not UTF-8", signIn(c, SignInInput{Username: "a\xff", Password: "p"}), "Username"},
		{"SignIn/username too long", signIn(c, SignInInput{Username: strings.Repeat("u", MaxUsernameLen+1), Password: "p"}), "Username"},
		{"SignIn/SRP without password", signIn(c, SignInInput{Username: "alice"}), "Password"},
		{"SignIn/password too long", signIn(c, SignInInput{Username: "alice", Password: strings.Repeat("p", MaxPasswordLen+1)}), "Password"},
		{"SignIn/unknown flow", signIn(c, SignInInput{Username: "alice", Password: "p", AuthFlowType: "ADMIN_NO_SRP_AUTH"}), "AuthFlowType"},
		{"SignIn/preferred challenge outside USER_AUTH", signIn(c, SignInInput{Username: "alice", Password: "p", PreferredChallenge: "PASSWORD"}), "PreferredChallenge"},
		{"SignIn/unknown preferred challenge", signIn(c, SignInInput{Username: "alice", AuthFlowType: AuthFlowUserAuth, PreferredChallenge: "CARRIER_PIGEON"}), "PreferredChallenge"},
		{"SignIn/Session outside USER_AUTH", signIn(c, SignInInput{Username: "alice", Password: "p", Session: "s"}), "Session"},
		{"SignIn/USER_AUTH PASSWORD without password", signIn(c, SignInInput{Username: "alice", AuthFlowType: AuthFlowUserAuth, PreferredChallenge: "PASSWORD_SRP"}), "Password"},
		{"SignIn/metadata too many", signIn(c, SignInInput{Username: "alice", Password: "p", ClientMetadata: many}), "ClientMetadata"},
		{"SignIn/admin without credentials", signIn(anon, SignInInput{Username: "alice", Password: "p", Admin: true}), "Credentials"},
		{"ConfirmSignIn/no pending", confirm(nil, ConfirmInput{ChallengeResponse: "123456"}), "Pending"},
		{"ConfirmSignIn/no response", confirm(pending, ConfirmInput{}), "ChallengeResponse"},
		{"ConfirmSignIn/huge response", confirm(pending, ConfirmInput{ChallengeResponse: big}), "ChallengeResponse"},
		{"ConfirmSignIn/attributes too many", confirm(pending, ConfirmInput{ChallengeResponse: "1", UserAttributes: many}), "UserAttributes"},
		{"ConfirmSignIn/attribute not UTF-8", confirm(pending, ConfirmInput{ChallengeResponse: "1", UserAttributes: map[string]string{"name": "\xff"}}), "UserAttributes.name"},
		{"ConfirmSignIn/device name too long", confirm(pending, ConfirmInput{ChallengeResponse: "1", FriendlyDeviceName: strings.Repeat("d", MaxKeyLen+1)}), "FriendlyDeviceName"},
		{"ConfirmSignIn/unknown MFA type", confirm(&Pending{challenge: "SELECT_MFA_TYPE", session: "s", username: "alice"}, ConfirmInput{ChallengeResponse: "SMS_MFA"}), "ChallengeResponse"},
		{"ConfirmSignIn/unknown setup type", confirm(&Pending{challenge: "MFA_SETUP", session: "s", username: "alice"}, ConfirmInput{ChallengeResponse: "SMS"}), "ChallengeResponse"},
	}
	for _, tt := range calls {
		t.Run(tt.name, func(t *testing.T) {
			before := len(tr.Sent())
			got, err := tt.do()
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Field != tt.wantField {
				t.Fatalf("= %+v, %v; want a ParamError on %s", got, err, tt.wantField)
			}
			if code, msg := apiCode(err); code != "InvalidParameterException" || !strings.HasPrefix(msg, tt.wantField+" ") {
				t.Errorf("error code %q message %q; want InvalidParameterException naming %s", code, msg, tt.wantField)
			}
			if n := len(tr.Sent()) - before; n != 0 {
				t.Errorf("%d requests sent; want none", n)
			}
		})
	}
}

// TestMaliciousServerValues: a server answering InitiateAuth with values no
// honest server sends gets a ServerError, never an answer, and the error
// never carries the password.
func TestMaliciousServerValues(t *testing.T) {
	em := newEmulator(t)
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
		for _, viaSignIn := range []bool{false, true} {
			name := tt.name + "/Initiate"
			if viaSignIn {
				name = tt.name + "/SignIn"
			}
			t.Run(name, func(t *testing.T) {
				c, tr := emuClient(t, em, emuAliasPool, emuPublic, "")
				tr.rewrite = func(target string, body []byte) []byte {
					if target != "InitiateAuth" {
						return body
					}
					var out map[string]any
					if err := json.Unmarshal(body, &out); err != nil {
						t.Fatalf("emulator answer %s: %v", body, err)
					}
					cp := map[string]string{}
					for k, v := range out["ChallengeParameters"].(map[string]any) {
						cp[k] = v.(string)
					}
					tt.tamper(cp)
					out["ChallengeParameters"] = cp
					b, _ := json.Marshal(out)
					return b
				}
				var got any
				var err error
				if viaSignIn {
					got, err = c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice"})
				} else {
					got, err = c.Initiate(ctxT(t), InitiateInput{AuthFlow: "USER_SRP_AUTH",
						AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!Alice"}})
				}
				var se *ServerError
				if !errors.As(err, &se) {
					t.Fatalf("= %+v, %v; want a ServerError", got, err)
				}
				code, msg := apiCode(err)
				if code != "InvalidServerResponseException" || !strings.Contains(msg, tt.wantMsg) || !strings.Contains(msg, "PASSWORD_VERIFIER") {
					t.Errorf("code %q message %q; want InvalidServerResponseException naming %s", code, msg, tt.wantMsg)
				}
				if strings.Contains(err.Error(), "Passw0rd!Alice") {
					t.Errorf("error %q contains the password", err)
				}
				if n := tr.Count("RespondToAuthChallenge"); n != 0 {
					t.Errorf("engine answered a bad challenge %d times; want 0", n)
				}
			})
		}
	}
}

// TestInjectedTimeAndRandomness pins TIMESTAMP and SRP_A through Config.
func TestInjectedTimeAndRandomness(t *testing.T) {
	em := newEmulator(t)
	tr := &inProcess{em: em}
	when := time.Now().UTC().Truncate(time.Second)
	seed := strings.Repeat("\x07", srp.EphemeralBytes)
	c, err := New(Config{UserPoolID: emuAliasPool, ClientID: emuPublic, Endpoint: emuEndpoint, HTTPClient: tr,
		Now: func() time.Time { return when }, Random: strings.NewReader(seed)})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice"}); err != nil || !res.IsSignedIn {
		t.Fatalf("SignIn = %+v, %v", res, err)
	}
	sc, err := srp.NewClient(srp.WithRandom(strings.NewReader(seed)))
	if err != nil {
		t.Fatal(err)
	}
	sent := tr.Sent()
	if !strings.Contains(sent[0].Body, `"SRP_A":"`+sc.A()+`"`) {
		t.Errorf("SRP_A was not drawn from Config.Random")
	}
	if ts := srp.Timestamp(when); !strings.Contains(sent[1].Body, `"TIMESTAMP":"`+ts+`"`) {
		t.Errorf("TIMESTAMP %q was not taken from Config.Now: %s", ts, sent[1].Body)
	}
}

// errorServer answers every request with one Cognito error: for the two
// errors Amplify turns into steps, which the emulator on main cannot produce.
type errorServer struct{ code, msg string }

func (e errorServer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	status := 400
	if e.code == "InternalErrorException" {
		status = 500
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"__type": e.code, "message": e.msg})
}

func TestErrorsThatAreSteps(t *testing.T) {
	for _, tt := range []struct{ code, step string }{
		{"UserNotConfirmedException", StepConfirmSignUp},
		{"PasswordResetRequiredException", StepResetPassword},
	} {
		t.Run(tt.code, func(t *testing.T) {
			c, _ := emuClient(t, errorServer{tt.code, "as Cognito says"}, emuAliasPool, emuPublic, "")
			res, err := c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice", AuthFlowType: AuthFlowUserPassword})
			if err != nil || res.IsSignedIn || res.NextStep.SignInStep != tt.step || res.Pending != nil {
				t.Fatalf("SignIn = %+v, %v; want step %s and no Pending", res, err, tt.step)
			}
		})
	}
}

// TestComputeRunsTheSRPMath: every SRP computation goes through
// Config.Compute (two per SRP sign-in of a one-call client, which prepares
// nothing ahead: A, then the claim), and a Compute that fails stops the
// sign-in before the answer is sent. (ephemeral_test.go covers the
// ephemeral a reusable client builds in the background.)
func TestComputeRunsTheSRPMath(t *testing.T) {
	em := newEmulator(t)
	calls := 0
	tr := &inProcess{em: em}
	c, err := New(Config{UserPoolID: emuAliasPool, ClientID: emuPublic, Endpoint: emuEndpoint, HTTPClient: tr, OneShot: true,
		Compute: func(_ context.Context, work func()) error { calls++; work(); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice"}); err != nil || !res.IsSignedIn {
		t.Fatalf("SignIn = %+v, %v", res, err)
	}
	if calls != 2 {
		t.Errorf("Compute ran %d times for an SRP sign-in; want 2", calls)
	}
	stop := errors.New("page is closing")
	n := 0
	c, err = New(Config{UserPoolID: emuAliasPool, ClientID: emuPublic, Endpoint: emuEndpoint, HTTPClient: tr, OneShot: true,
		Compute: func(_ context.Context, work func()) error {
			if n++; n == 2 {
				return stop
			}
			work()
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	before := tr.Count("RespondToAuthChallenge")
	if _, err := c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice"}); !errors.Is(err, stop) {
		t.Errorf("SignIn with a failing Compute = %v; want its error", err)
	}
	if tr.Count("RespondToAuthChallenge") != before {
		t.Errorf("the answer was sent although the claim was never computed")
	}
}
