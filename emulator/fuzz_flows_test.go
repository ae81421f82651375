package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzCustomAndChoiceSignIn throws bodies at the sign-in operations of a
// pool with custom-auth triggers and every first factor, through the public
// and the admin operations: every answer is 200 or a 4xx with a __type,
// never a 500 or a panic.
func FuzzCustomAndChoiceSignIn(f *testing.F) {
	fl := &fakeLambda{fns: map[string]triggerFunc{}}
	sumTriggers(fl)
	ls := httptest.NewServer(fl)
	f.Cleanup(ls.Close)
	emu, err := New(Config{SigningKey: sharedKey(f), LambdaEndpoint: ls.URL})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = emu.Close() })
	s := demoSeed()
	s.UserPools[0].Clients = append(s.UserPools[0].Clients, SeedClient{ID: "fuzzclient00000000000001", Name: "fuzz",
		ExplicitAuthFlows: []string{"ALLOW_CUSTOM_AUTH", "ALLOW_USER_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err := emu.Seed(s); err != nil {
		f.Fatal(err)
	}
	err = emu.store.update(func(t *txn) error {
		p, err := mustPool(t, demoPool)
		if err != nil {
			return err
		}
		p.LambdaConfig = lambdaConfigType{DefineAuthChallenge: lambdaARN + "define", CreateAuthChallenge: lambdaARN + "create",
			VerifyAuthChallengeResponse: lambdaARN + "verify", PostAuthentication: lambdaARN + "missing"}
		p.SignInPolicy = &signInPolicy{AllowedFirstAuthFactors: []string{"PASSWORD", "EMAIL_OTP", "SMS_OTP"}}
		return t.put(bucketPools, p.ID, p)
	})
	if err != nil {
		f.Fatal(err)
	}
	const c = "fuzzclient00000000000001"
	for _, seed := range []string{
		`{"AuthFlow":"CUSTOM_AUTH","ClientId":"` + c + `","AuthParameters":{"USERNAME":"alice"}}`,
		`{"AuthFlow":"CUSTOM_AUTH","ClientId":"` + c + `","AuthParameters":{"USERNAME":"alice","CHALLENGE_NAME":"SRP_A","SRP_A":"0"}}`,
		`{"AuthFlow":"USER_AUTH","ClientId":"` + c + `","AuthParameters":{"USERNAME":"alice","PREFERRED_CHALLENGE":"EMAIL_OTP"}}`,
		`{"AuthFlow":"USER_AUTH","ClientId":"` + c + `","AuthParameters":{"USERNAME":"bob","PREFERRED_CHALLENGE":"PASSWORD","PASSWORD":"x"}}`,
		`{"UserPoolId":"` + demoPool + `","AuthFlow":"ADMIN_USER_PASSWORD_AUTH","ClientId":"` + c + `","AuthParameters":{"USERNAME":"alice","PASSWORD":"x"},"ContextData":{"IpAddress":"1","ServerName":"s","ServerPath":"/","HttpHeaders":[{"headerName":"a","headerValue":"b"}]}}`,
		`{"ClientId":"` + c + `","ChallengeName":"CUSTOM_CHALLENGE","Session":"x","ChallengeResponses":{"USERNAME":"alice","ANSWER":"2"}}`,
		`{"ClientId":"` + c + `","ChallengeName":"SELECT_CHALLENGE","Session":"x","ChallengeResponses":{"USERNAME":"alice","ANSWER":"PASSWORD_SRP","SRP_A":"zz"}}`,
		`{"UserPoolId":"` + demoPool + `","ClientId":"` + c + `","ChallengeName":"SMS_OTP","Session":"x","ChallengeResponses":{"USERNAME":"alice","SMS_OTP_CODE":"1"}}`,
	} {
		for op := uint8(0); op < 4; op++ {
			f.Add(seed, op)
		}
	}
	ops := []string{"InitiateAuth", "RespondToAuthChallenge", "AdminInitiateAuth", "AdminRespondToAuthChallenge"}
	f.Fuzz(func(t *testing.T, body string, op uint8) {
		name := ops[int(op)%len(ops)]
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader([]byte(body)))
		req.Header.Set("X-Amz-Target", targetPrefix+name)
		req.Header.Set("Authorization", sigV4)
		rec := httptest.NewRecorder()
		emu.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && (rec.Code < 400 || rec.Code >= 500) {
			t.Fatalf("%s(%q) = %d %s; want 200 or 4xx", name, body, rec.Code, rec.Body.String())
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s(%q) body %q is not a JSON object", name, body, rec.Body.String())
		}
		if rec.Code != http.StatusOK && out["__type"] == nil {
			t.Fatalf("%s(%q) error body %q has no __type", name, body, rec.Body.String())
		}
	})
}
