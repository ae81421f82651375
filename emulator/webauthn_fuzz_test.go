package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzWebAuthnOps throws bodies at the passkey operations and at WEB_AUTHN
// answers, with a real access token ($TOKEN) and a live WEB_AUTHN session
// ($SESSION) spliced in: every answer is 200 or a 4xx with a __type, never
// a 500 or a panic, whatever the Credential or CREDENTIAL holds.
func FuzzWebAuthnOps(f *testing.F) {
	s := demoSeed()
	s.UserPools[0].WebAuthnConfiguration = &SeedWebAuthnConfiguration{RelyingPartyID: passkeyRP}
	s.UserPools[0].SignInPolicy = &SeedSignInPolicy{AllowedFirstAuthFactors: []string{"PASSWORD", "WEB_AUTHN"}}
	const c = "fuzzclient00000000000001"
	s.UserPools[0].Clients = append(s.UserPools[0].Clients, SeedClient{ID: c, Name: "fuzz",
		ExplicitAuthFlows: []string{"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	h := newHarness(f, &s)
	token := h.signInWithPassword(c, "alice", demoPass)
	a := newSoftAuthenticator(f)
	reg := a.create(f, h.startRegistration(token), ceremony{})
	regJSON, _ := json.Marshal(reg)
	h.register(token, newSoftAuthenticator(f))
	ch := h.passkeyChallenge(c, "alice")
	asr := a.get(f, ch.str("ChallengeParameters", "CREDENTIAL_REQUEST_OPTIONS"), ceremony{})
	asrJSON, _ := json.Marshal(asr)

	for _, seed := range []string{
		`{"AccessToken":"$TOKEN"}`,
		`{"AccessToken":"$TOKEN","Credential":` + string(regJSON) + `}`,
		`{"AccessToken":"$TOKEN","Credential":{"id":"AA","rawId":"AA","type":"public-key","response":{"clientDataJSON":"e30","attestationObject":"oA"}}}`,
		`{"AccessToken":"$TOKEN","Credential":[1,2]}`,
		`{"AccessToken":"$TOKEN","MaxResults":1,"NextToken":"x"}`,
		`{"AccessToken":"$TOKEN","CredentialId":"` + b64(a.credID) + `"}`,
		`{"ClientId":"` + c + `","ChallengeName":"WEB_AUTHN","Session":"$SESSION","ChallengeResponses":{"USERNAME":"alice","CREDENTIAL":` + string(asrJSON) + `}}`,
		`{"ClientId":"` + c + `","ChallengeName":"WEB_AUTHN","Session":"$SESSION","ChallengeResponses":{"USERNAME":"alice","CREDENTIAL":"{\"id\":\"AA\",\"response\":{\"authenticatorData\":\"AA\"}}"}}`,
	} {
		for op := uint8(0); op < 5; op++ {
			f.Add(seed, op)
		}
	}
	ops := []string{"StartWebAuthnRegistration", "CompleteWebAuthnRegistration", "ListWebAuthnCredentials", "DeleteWebAuthnCredential", "RespondToAuthChallenge"}
	f.Fuzz(func(t *testing.T, body string, op uint8) {
		name := ops[int(op)%len(ops)]
		body = strings.ReplaceAll(body, "$TOKEN", token)
		if strings.Contains(body, "$SESSION") {
			hh := *h
			hh.t = t
			ch := hh.userAuth(c, m{"USERNAME": "alice", "PREFERRED_CHALLENGE": "WEB_AUTHN"})
			body = strings.ReplaceAll(body, "$SESSION", ch.str("Session"))
		}
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader([]byte(body)))
		req.Header.Set("X-Amz-Target", targetPrefix+name)
		rec := httptest.NewRecorder()
		h.emu.ServeHTTP(rec, req)
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
