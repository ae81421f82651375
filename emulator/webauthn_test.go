package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"
)

// A software authenticator: an ECDSA P-256 key, "none" attestation, and
// authenticator data, client data and CBOR written out by hand, so that
// the emulator's go-webauthn checks are tested against bytes built
// independently of that library.

const (
	flagUP = 0x01
	flagUV = 0x04
	flagAT = 0x40
)

type softAuthenticator struct {
	key    *ecdsa.PrivateKey
	credID []byte
	count  uint32
	// uv sets the user-verified flag; userHandle is what get() returns.
	uv         bool
	userHandle []byte
}

func newSoftAuthenticator(t testing.TB) *softAuthenticator {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		t.Fatal(err)
	}
	return &softAuthenticator{key: k, credID: id, uv: true}
}

// cbor writes the few CBOR items WebAuthn needs (RFC 8949): unsigned and
// negative integers, byte and text strings, maps given as key/value pairs.
type cbor []byte

func (c cbor) head(major byte, n uint64) cbor {
	switch {
	case n < 24:
		return append(c, major<<5|byte(n))
	case n < 256:
		return append(c, major<<5|24, byte(n))
	default:
		return append(c, major<<5|25, byte(n>>8), byte(n))
	}
}

func (c cbor) int(n int) cbor {
	if n >= 0 {
		return c.head(0, uint64(n))
	}
	return c.head(1, uint64(-1-n))
}
func (c cbor) bytes(b []byte) cbor { return append(c.head(2, uint64(len(b))), b...) }
func (c cbor) text(s string) cbor  { return append(c.head(3, uint64(len(s))), s...) }
func (c cbor) mapOf(n int) cbor    { return c.head(5, uint64(n)) }

func (a *softAuthenticator) coseKey() []byte {
	x, y := make([]byte, 32), make([]byte, 32)
	a.key.X.FillBytes(x)
	a.key.Y.FillBytes(y)
	// {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}
	return cbor{}.mapOf(5).int(1).int(2).int(3).int(-7).int(-1).int(1).int(-2).bytes(x).int(-3).bytes(y)
}

func (a *softAuthenticator) authData(rpID string, flags byte, attested bool) []byte {
	h := sha256.Sum256([]byte(rpID))
	out := append(h[:], flags)
	out = binary.BigEndian.AppendUint32(out, a.count)
	if attested {
		out = append(out, make([]byte, 16)...) // AAGUID: zeros, as "none" attestation allows
		out = binary.BigEndian.AppendUint16(out, uint16(len(a.credID)))
		out = append(out, a.credID...)
		out = append(out, a.coseKey()...)
	}
	return out
}

func (a *softAuthenticator) flags() byte {
	f := byte(flagUP)
	if a.uv {
		f |= flagUV
	}
	return f
}

func clientData(typ, challenge, origin string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": origin, "crossOrigin": false})
	return b
}

var b64 = base64.RawURLEncoding.EncodeToString

// ceremony overrides what a well-behaved browser and authenticator would
// use, for the refusal tests: empty fields take the options' values.
type ceremony struct {
	origin, rpID, challenge string
}

// create answers CredentialCreationOptions as navigator.credentials.create
// would, returning the credential's JSON (toJSON()).
func (a *softAuthenticator) create(t testing.TB, opts map[string]any, c ceremony) map[string]any {
	t.Helper()
	rp, _ := opts["rp"].(map[string]any)
	if c.rpID == "" {
		c.rpID, _ = rp["id"].(string)
	}
	if c.challenge == "" {
		c.challenge, _ = opts["challenge"].(string)
	}
	if c.origin == "" {
		c.origin = "https://" + c.rpID
	}
	att := cbor{}.mapOf(3).text("fmt").text("none").text("attStmt").mapOf(0).text("authData").
		bytes(a.authData(c.rpID, a.flags()|flagAT, true))
	return map[string]any{"id": b64(a.credID), "rawId": b64(a.credID), "type": "public-key",
		"response": map[string]any{"clientDataJSON": b64(clientData("webauthn.create", c.challenge, c.origin)),
			"attestationObject": b64(att), "transports": []string{"internal", "hybrid"}},
		"authenticatorAttachment": "platform", "clientExtensionResults": map[string]any{}}
}

// get answers CREDENTIAL_REQUEST_OPTIONS as navigator.credentials.get
// would, counting one signature.
func (a *softAuthenticator) get(t testing.TB, optsJSON string, c ceremony) string {
	t.Helper()
	var opts map[string]any
	if err := json.Unmarshal([]byte(optsJSON), &opts); err != nil {
		t.Fatalf("CREDENTIAL_REQUEST_OPTIONS %q: %v", optsJSON, err)
	}
	if c.rpID == "" {
		c.rpID, _ = opts["rpId"].(string)
	}
	if c.challenge == "" {
		c.challenge, _ = opts["challenge"].(string)
	}
	if c.origin == "" {
		c.origin = "https://" + c.rpID
	}
	a.count++
	ad := a.authData(c.rpID, a.flags(), false)
	cd := clientData("webauthn.get", c.challenge, c.origin)
	h := sha256.Sum256(cd)
	digest := sha256.Sum256(append(slices.Clone(ad), h[:]...)) // ES256 signs SHA-256(authData || SHA-256(clientDataJSON))
	sig, err := ecdsa.SignASN1(rand.Reader, a.key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	resp := map[string]any{"clientDataJSON": b64(cd), "authenticatorData": b64(ad), "signature": b64(sig)}
	if a.userHandle != nil {
		resp["userHandle"] = b64(a.userHandle)
	}
	b, _ := json.Marshal(map[string]any{"id": b64(a.credID), "rawId": b64(a.credID), "type": "public-key",
		"response": resp, "authenticatorAttachment": "platform", "clientExtensionResults": map[string]any{}})
	return string(b)
}

const passkeyRP = "app.example.com"

// passkeyHarness is the USER_AUTH harness with PASSWORD and WEB_AUTHN
// allowed and the RP ID set through SetUserPoolMfaConfig.
func passkeyHarness(t *testing.T, uv string) (*harness, string) {
	t.Helper()
	h, client := userAuthHarness(t, "PASSWORD", "WEB_AUTHN")
	h.admin("SetUserPoolMfaConfig", m{"UserPoolId": demoPool, "MfaConfiguration": "OFF",
		"WebAuthnConfiguration": m{"RelyingPartyId": passkeyRP, "UserVerification": uv}})
	return h, client
}

// signInWithPassword returns an access token for user through USER_AUTH.
func (h *harness) signInWithPassword(client, user, password string) string {
	h.t.Helper()
	r := h.userAuth(client, m{"USERNAME": user, "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": password})
	h.wantTokens(r)
	return r.str("AuthenticationResult", "AccessToken")
}

func (h *harness) wantType(r response, typ string) {
	h.t.Helper()
	if r.errType() != typ {
		h.t.Fatalf("got %d %s %q; want %s", r.status, r.errType(), r.message(), typ)
	}
}

func (h *harness) startRegistration(token string) map[string]any {
	h.t.Helper()
	r := h.call("StartWebAuthnRegistration", m{"AccessToken": token}, false)
	if r.status != http.StatusOK {
		h.t.Fatalf("StartWebAuthnRegistration = %d %s %q", r.status, r.errType(), r.message())
	}
	opts, ok := r.body["CredentialCreationOptions"].(map[string]any)
	if !ok {
		h.t.Fatalf("StartWebAuthnRegistration: no CredentialCreationOptions in %s", r.raw)
	}
	return opts
}

// register adds a's passkey to the user of token.
func (h *harness) register(token string, a *softAuthenticator) {
	h.t.Helper()
	cred := a.create(h.t, h.startRegistration(token), ceremony{})
	if r := h.call("CompleteWebAuthnRegistration", m{"AccessToken": token, "Credential": cred}, false); r.status != http.StatusOK {
		h.t.Fatalf("CompleteWebAuthnRegistration = %d %s %q", r.status, r.errType(), r.message())
	}
}

func (h *harness) listPasskeys(token string, extra m) response {
	h.t.Helper()
	body := m{"AccessToken": token}
	for k, v := range extra {
		body[k] = v
	}
	return h.call("ListWebAuthnCredentials", body, false)
}

func credentialIDs(r response) []string {
	var out []string
	list, _ := r.body["Credentials"].([]any)
	for _, c := range list {
		id, _ := c.(map[string]any)["CredentialId"].(string)
		out = append(out, id)
	}
	return out
}

// passkeyChallenge starts a USER_AUTH sign-in with WEB_AUTHN preferred.
func (h *harness) passkeyChallenge(client, user string) response {
	h.t.Helper()
	ch := h.userAuth(client, m{"USERNAME": user, "PREFERRED_CHALLENGE": "WEB_AUTHN"})
	if ch.status != http.StatusOK || ch.str("ChallengeName") != "WEB_AUTHN" || ch.str("Session") == "" {
		h.t.Fatalf("got %d %s %q (challenge %q); want WEB_AUTHN", ch.status, ch.errType(), ch.message(), ch.str("ChallengeName"))
	}
	return ch
}

func TestWebAuthnConfiguration(t *testing.T) {
	h, _ := userAuthHarness(t, "PASSWORD")
	// Never configured: user verification "preferred", no RP ID.
	got := h.admin("GetUserPoolMfaConfig", m{"UserPoolId": demoPool})
	if uv := got.str("WebAuthnConfiguration", "UserVerification"); uv != "preferred" || got.str("WebAuthnConfiguration", "RelyingPartyId") != "" {
		t.Fatalf("GetUserPoolMfaConfig WebAuthnConfiguration = %v; want only UserVerification preferred", got.body["WebAuthnConfiguration"])
	}
	client := h.newClient(m{"ExplicitAuthFlows": []string{"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	token := h.signInWithPassword(client, "alice", demoPass)
	// WEB_AUTHN not among the first factors; then allowed but no RP ID.
	h.wantType(h.call("StartWebAuthnRegistration", m{"AccessToken": token}, false), "WebAuthnNotEnabledException")
	h.admin("UpdateUserPool", m{"UserPoolId": demoPool, "Policies": m{"SignInPolicy": m{"AllowedFirstAuthFactors": []string{"PASSWORD", "WEB_AUTHN"}}}})
	h.wantType(h.call("StartWebAuthnRegistration", m{"AccessToken": token}, false), "WebAuthnConfigurationMissingException")

	bad := h.call("SetUserPoolMfaConfig", m{"UserPoolId": demoPool, "WebAuthnConfiguration": m{"RelyingPartyId": passkeyRP, "UserVerification": "always"}}, true)
	h.wantType(bad, "InvalidParameterException")
	h.admin("SetUserPoolMfaConfig", m{"UserPoolId": demoPool, "WebAuthnConfiguration": m{"RelyingPartyId": passkeyRP, "UserVerification": "required"}})
	got = h.admin("GetUserPoolMfaConfig", m{"UserPoolId": demoPool})
	if got.str("WebAuthnConfiguration", "RelyingPartyId") != passkeyRP || got.str("WebAuthnConfiguration", "UserVerification") != "required" {
		t.Fatalf("GetUserPoolMfaConfig WebAuthnConfiguration = %v", got.body["WebAuthnConfiguration"])
	}
	// A later SetUserPoolMfaConfig without it keeps it.
	h.admin("SetUserPoolMfaConfig", m{"UserPoolId": demoPool, "MfaConfiguration": "OFF"})
	if got = h.admin("GetUserPoolMfaConfig", m{"UserPoolId": demoPool}); got.str("WebAuthnConfiguration", "RelyingPartyId") != passkeyRP {
		t.Fatalf("after Set without it, WebAuthnConfiguration = %v", got.body["WebAuthnConfiguration"])
	}
	opts := h.startRegistration(token)
	sel, _ := opts["authenticatorSelection"].(map[string]any)
	if sel["userVerification"] != "required" {
		t.Fatalf("authenticatorSelection = %v; want userVerification required", sel)
	}
}

func TestSeedWebAuthnConfiguration(t *testing.T) {
	s := demoSeed()
	s.UserPools[0].WebAuthnConfiguration = &SeedWebAuthnConfiguration{RelyingPartyID: "localhost", UserVerification: "required"}
	h := newHarness(t, &s)
	got := h.admin("GetUserPoolMfaConfig", m{"UserPoolId": demoPool})
	if got.str("WebAuthnConfiguration", "RelyingPartyId") != "localhost" || got.str("WebAuthnConfiguration", "UserVerification") != "required" {
		t.Fatalf("seeded WebAuthnConfiguration = %v", got.body["WebAuthnConfiguration"])
	}
	s.UserPools[0].WebAuthnConfiguration = &SeedWebAuthnConfiguration{RelyingPartyID: "localhost", UserVerification: "sometimes"}
	emu, err := New(Config{SigningKey: sharedKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	if err := emu.Seed(s); err == nil {
		t.Fatal("Seed with userVerification sometimes = nil; want an error")
	}
}

func TestPasskeyRegisterListSignInDelete(t *testing.T) {
	h, client := passkeyHarness(t, "preferred")
	token := h.signInWithPassword(client, "alice", demoPass)

	// Without a passkey WEB_AUTHN is not offered.
	if got := available(h.userAuth(client, m{"USERNAME": "alice"})); slices.Contains(got, "WEB_AUTHN") {
		t.Fatalf("AvailableChallenges before any passkey = %v", got)
	}

	opts := h.startRegistration(token)
	rp, _ := opts["rp"].(map[string]any)
	user, _ := opts["user"].(map[string]any)
	ch, _ := opts["challenge"].(string)
	if rp["id"] != passkeyRP || user["name"] != "alice" || user["id"] == "" || len(ch) < 22 {
		t.Fatalf("CredentialCreationOptions = %v", opts)
	}
	if params, _ := opts["pubKeyCredParams"].([]any); len(params) == 0 || params[0].(map[string]any)["alg"] != float64(-7) {
		t.Fatalf("pubKeyCredParams = %v; want ES256 (-7) first", opts["pubKeyCredParams"])
	}
	a := newSoftAuthenticator(t)
	cred := a.create(t, opts, ceremony{})
	if r := h.call("CompleteWebAuthnRegistration", m{"AccessToken": token, "Credential": cred}, false); r.status != http.StatusOK {
		t.Fatalf("CompleteWebAuthnRegistration = %d %s %q", r.status, r.errType(), r.message())
	}
	// The same registration again: its challenge is spent.
	h.wantType(h.call("CompleteWebAuthnRegistration", m{"AccessToken": token, "Credential": cred}, false), "WebAuthnChallengeNotFoundException")

	list := h.listPasskeys(token, nil)
	if ids := credentialIDs(list); !slices.Equal(ids, []string{b64(a.credID)}) {
		t.Fatalf("ListWebAuthnCredentials ids = %v; want [%s]", ids, b64(a.credID))
	}
	c0 := list.body["Credentials"].([]any)[0].(map[string]any)
	if c0["RelyingPartyId"] != passkeyRP || c0["AuthenticatorAttachment"] != "platform" || c0["FriendlyCredentialName"] == "" ||
		c0["CreatedAt"] != float64(h.clock.Now().Unix()) || len(c0["AuthenticatorTransports"].([]any)) != 2 {
		t.Fatalf("credential = %v", c0)
	}
	// The next registration excludes it.
	opts = h.startRegistration(token)
	if ex, _ := opts["excludeCredentials"].([]any); len(ex) != 1 || ex[0].(map[string]any)["id"] != b64(a.credID) {
		t.Fatalf("excludeCredentials = %v", opts["excludeCredentials"])
	}

	// Sign in with it: offered in SELECT_CHALLENGE, chosen there.
	sel := h.userAuth(client, m{"USERNAME": "alice"})
	if got := available(sel); !slices.Equal(got, []string{"PASSWORD", "PASSWORD_SRP", "WEB_AUTHN"}) {
		t.Fatalf("AvailableChallenges = %v", got)
	}
	wa := h.respondTo(client, "SELECT_CHALLENGE", sel, m{"USERNAME": "alice", "ANSWER": "WEB_AUTHN"})
	wantChallenge(t, wa, "WEB_AUTHN")
	reqOpts := wa.str("ChallengeParameters", "CREDENTIAL_REQUEST_OPTIONS")
	var ro map[string]any
	if err := json.Unmarshal([]byte(reqOpts), &ro); err != nil || ro["rpId"] != passkeyRP || ro["userVerification"] != "preferred" {
		t.Fatalf("CREDENTIAL_REQUEST_OPTIONS = %q (%v)", reqOpts, err)
	}
	if allow, _ := ro["allowCredentials"].([]any); len(allow) != 1 || allow[0].(map[string]any)["id"] != b64(a.credID) {
		t.Fatalf("allowCredentials = %v", ro["allowCredentials"])
	}
	answer := a.get(t, reqOpts, ceremony{})
	done := h.respondTo(client, "WEB_AUTHN", wa, m{"USERNAME": "alice", "CREDENTIAL": answer})
	h.wantTokens(done)
	if sub := accessClaim(t, done.str("AuthenticationResult", "AccessToken"), "username"); sub != "alice" {
		t.Fatalf("token username = %v", sub)
	}
	// Replayed: the session is spent; in a new sign-in the challenge differs.
	h.wantError(h.respondTo(client, "WEB_AUTHN", wa, m{"USERNAME": "alice", "CREDENTIAL": answer}), "NotAuthorizedException", "Invalid session for the user.")
	again := h.passkeyChallenge(client, "alice")
	h.wantType(h.respondTo(client, "WEB_AUTHN", again, m{"USERNAME": "alice", "CREDENTIAL": answer}), "NotAuthorizedException")
	// PREFERRED_CHALLENGE WEB_AUTHN with the user handle set, as discoverable credentials answer.
	a.userHandle = []byte(accessClaim(t, token, "sub").(string))
	wa = h.passkeyChallenge(client, "alice")
	h.wantTokens(h.respondTo(client, "WEB_AUTHN", wa, m{"USERNAME": "alice", "CREDENTIAL": a.get(t, wa.str("ChallengeParameters", "CREDENTIAL_REQUEST_OPTIONS"), ceremony{})}))

	// A second passkey, then paging one at a time.
	b := newSoftAuthenticator(t)
	h.register(token, b)
	p1 := h.listPasskeys(token, m{"MaxResults": 1})
	next := p1.str("NextToken")
	if ids := credentialIDs(p1); !slices.Equal(ids, []string{b64(a.credID)}) || next == "" {
		t.Fatalf("page 1 = %v, NextToken %q", ids, next)
	}
	p2 := h.listPasskeys(token, m{"MaxResults": 1, "NextToken": next})
	if ids := credentialIDs(p2); !slices.Equal(ids, []string{b64(b.credID)}) || p2.str("NextToken") != "" {
		t.Fatalf("page 2 = %v, NextToken %q", ids, p2.str("NextToken"))
	}
	h.wantType(h.listPasskeys(token, m{"MaxResults": 21}), "InvalidParameterException")

	// Delete the first: gone from the list, and it no longer signs in.
	if r := h.call("DeleteWebAuthnCredential", m{"AccessToken": token, "CredentialId": b64(a.credID)}, false); r.status != http.StatusOK {
		t.Fatalf("DeleteWebAuthnCredential = %d %s", r.status, r.errType())
	}
	h.wantType(h.call("DeleteWebAuthnCredential", m{"AccessToken": token, "CredentialId": b64(a.credID)}, false), "ResourceNotFoundException")
	if ids := credentialIDs(h.listPasskeys(token, nil)); !slices.Equal(ids, []string{b64(b.credID)}) {
		t.Fatalf("after delete: %v", ids)
	}
	wa = h.passkeyChallenge(client, "alice")
	h.wantType(h.respondTo(client, "WEB_AUTHN", wa, m{"USERNAME": "alice", "CREDENTIAL": a.get(t, wa.str("ChallengeParameters", "CREDENTIAL_REQUEST_OPTIONS"), ceremony{})}), "NotAuthorizedException")
	h.call("DeleteWebAuthnCredential", m{"AccessToken": token, "CredentialId": b64(b.credID)}, false)
	if got := available(h.userAuth(client, m{"USERNAME": "alice"})); slices.Contains(got, "WEB_AUTHN") {
		t.Fatalf("AvailableChallenges after deleting every passkey = %v", got)
	}
}

func TestPasskeyRegistrationRefusals(t *testing.T) {
	h, client := passkeyHarness(t, "required")
	token := h.signInWithPassword(client, "alice", demoPass)
	complete := func(cred map[string]any) response {
		return h.call("CompleteWebAuthnRegistration", m{"AccessToken": token, "Credential": cred}, false)
	}
	a := newSoftAuthenticator(t)
	for _, tc := range []struct {
		name string
		c    ceremony
		uv   bool
		want string
	}{
		{"wrong origin", ceremony{origin: "https://evil.example.net"}, true, "WebAuthnOriginNotAllowedException"},
		{"http origin", ceremony{origin: "http://" + passkeyRP}, true, "WebAuthnOriginNotAllowedException"},
		{"wrong RP ID", ceremony{rpID: "example.net", origin: "https://" + passkeyRP}, true, "WebAuthnRelyingPartyMismatchException"},
		{"wrong challenge", ceremony{challenge: b64([]byte("a challenge never issued, 32 byt"))}, true, "WebAuthnChallengeNotFoundException"},
		{"no user verification", ceremony{}, false, "WebAuthnCredentialNotSupportedException"},
	} {
		a.uv = tc.uv
		h.wantType(complete(a.create(t, h.startRegistration(token), tc.c)), tc.want)
	}
	// An attestation go-webauthn refuses ("none" with a statement): the
	// whole message is ours, nothing of go-webauthn's wording.
	a.uv = true
	badAtt := a.create(t, h.startRegistration(token), ceremony{})
	badAtt["response"].(map[string]any)["attestationObject"] = b64(cbor{}.mapOf(3).text("fmt").text("none").
		text("attStmt").mapOf(1).text("sig").bytes([]byte{1}).text("authData").bytes(a.authData(passkeyRP, a.flags()|flagAT, true)))
	h.wantError(complete(badAtt), "WebAuthnCredentialNotSupportedException", "The passkey registration could not be verified.")
	// Each refusal spent its challenge: a good answer to it is refused too.
	opts := h.startRegistration(token)
	h.wantType(complete(a.create(t, opts, ceremony{origin: "https://evil.example.net"})), "WebAuthnOriginNotAllowedException")
	h.wantType(complete(a.create(t, opts, ceremony{})), "WebAuthnChallengeNotFoundException")
	// Expired.
	opts = h.startRegistration(token)
	h.clock.Advance(registrationTTL + time.Second)
	h.wantType(complete(a.create(t, opts, ceremony{})), "WebAuthnChallengeNotFoundException")
	// Started with one app client, completed with another's token.
	other := h.newClient(m{"ExplicitAuthFlows": []string{"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	token = h.signInWithPassword(client, "alice", demoPass)
	otherToken := h.signInWithPassword(other, "alice", demoPass)
	opts = h.startRegistration(token)
	h.wantType(h.call("CompleteWebAuthnRegistration", m{"AccessToken": otherToken, "Credential": a.create(t, opts, ceremony{})}, false), "WebAuthnClientMismatchException")
	// Malformed credentials.
	opts = h.startRegistration(token)
	bad := a.create(t, opts, ceremony{})
	bad["response"].(map[string]any)["attestationObject"] = b64([]byte{0xa1, 0x01})
	h.wantType(complete(bad), "InvalidParameterException")
	h.wantType(h.call("CompleteWebAuthnRegistration", m{"AccessToken": token, "Credential": "x"}, false), "InvalidParameterException")
	h.wantType(h.call("CompleteWebAuthnRegistration", m{"AccessToken": token}, false), "InvalidParameterException")
	if got := credentialIDs(h.listPasskeys(token, nil)); len(got) != 0 {
		t.Fatalf("refused registrations stored %v", got)
	}
	// The same authenticator for bob after alice has it: refused.
	h.register(token, a)
	bobToken := h.signInWithPassword(client, "bob", "Hunter2!Bob")
	h.wantType(h.call("CompleteWebAuthnRegistration", m{"AccessToken": bobToken, "Credential": a.create(t, h.startRegistration(bobToken), ceremony{})}, false), "InvalidParameterException")
}

func TestPasskeySignInRefusals(t *testing.T) {
	h, client := passkeyHarness(t, "required")
	alice := newSoftAuthenticator(t)
	bob := newSoftAuthenticator(t)
	h.register(h.signInWithPassword(client, "alice", demoPass), alice)
	h.register(h.signInWithPassword(client, "bob", "Hunter2!Bob"), bob)

	respond := func(user string, a *softAuthenticator, c ceremony, tamper func(string) string) response {
		ch := h.passkeyChallenge(client, user)
		answer := a.get(t, ch.str("ChallengeParameters", "CREDENTIAL_REQUEST_OPTIONS"), c)
		if tamper != nil {
			answer = tamper(answer)
		}
		return h.respondTo(client, "WEB_AUTHN", ch, m{"USERNAME": user, "CREDENTIAL": answer})
	}
	tamperSignature := func(s string) string {
		var v map[string]any
		_ = json.Unmarshal([]byte(s), &v)
		resp := v["response"].(map[string]any)
		sig, _ := base64.RawURLEncoding.DecodeString(resp["signature"].(string))
		sig[len(sig)-1] ^= 1
		resp["signature"] = b64(sig)
		out, _ := json.Marshal(v)
		return string(out)
	}

	// The whole message is ours: nothing of go-webauthn's wording (it read
	// "...assertion signature: <nil>") reaches the client.
	h.wantError(respond("alice", alice, ceremony{}, tamperSignature), "NotAuthorizedException", "The passkey assertion could not be verified.")
	h.wantType(respond("alice", alice, ceremony{origin: "https://evil.example.net"}, nil), "WebAuthnOriginNotAllowedException")
	h.wantType(respond("alice", alice, ceremony{rpID: "example.net", origin: "https://" + passkeyRP}, nil), "WebAuthnRelyingPartyMismatchException")
	h.wantType(respond("alice", alice, ceremony{challenge: b64([]byte("a challenge never issued, 32 byt"))}, nil), "NotAuthorizedException")
	// Bob's passkey answering for alice.
	h.wantType(respond("alice", bob, ceremony{}, nil), "NotAuthorizedException")
	// A user handle that is not alice's.
	alice.userHandle = []byte("someone-else")
	h.wantType(respond("alice", alice, ceremony{}, nil), "NotAuthorizedException")
	alice.userHandle = nil
	// User verification required and not performed.
	alice.uv = false
	h.wantType(respond("alice", alice, ceremony{}, nil), "NotAuthorizedException")
	alice.uv = true
	// A counter that went back: a cloned authenticator.
	h.wantTokens(respond("alice", alice, ceremony{}, nil))
	alice.count -= 2
	h.wantType(respond("alice", alice, ceremony{}, nil), "NotAuthorizedException")
	alice.count += 5
	h.wantTokens(respond("alice", alice, ceremony{}, nil))
	// Not JSON at all: the session stays for a real answer.
	ch := h.passkeyChallenge(client, "alice")
	h.wantType(h.respondTo(client, "WEB_AUTHN", ch, m{"USERNAME": "alice", "CREDENTIAL": "{"}), "InvalidParameterException")
	h.wantTokens(h.respondTo(client, "WEB_AUTHN", ch, m{"USERNAME": "alice", "CREDENTIAL": alice.get(t, ch.str("ChallengeParameters", "CREDENTIAL_REQUEST_OPTIONS"), ceremony{})}))
}

func TestPasskeyUnknownUser(t *testing.T) {
	h, client := passkeyHarness(t, "preferred")
	if r := h.admin("UpdateUserPoolClient", m{"UserPoolId": demoPool, "ClientId": client, "PreventUserExistenceErrors": "ENABLED",
		"ExplicitAuthFlows": []string{"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}); r.status != http.StatusOK {
		t.Fatal(r.errType())
	}
	ch := h.passkeyChallenge(client, "nobody")
	opts1 := ch.str("ChallengeParameters", "CREDENTIAL_REQUEST_OPTIONS")
	var ro map[string]any
	if err := json.Unmarshal([]byte(opts1), &ro); err != nil {
		t.Fatal(err)
	}
	allow, _ := ro["allowCredentials"].([]any)
	if len(allow) != 1 {
		t.Fatalf("unknown user's allowCredentials = %v; want one made-up credential", ro["allowCredentials"])
	}
	again := h.passkeyChallenge(client, "nobody")
	var ro2 map[string]any
	_ = json.Unmarshal([]byte(again.str("ChallengeParameters", "CREDENTIAL_REQUEST_OPTIONS")), &ro2)
	if ro2["allowCredentials"].([]any)[0].(map[string]any)["id"] != allow[0].(map[string]any)["id"] {
		t.Fatal("unknown user's made-up credential id changes between sign-ins")
	}
	a := newSoftAuthenticator(t)
	h.wantError(h.respondTo(client, "WEB_AUTHN", ch, m{"USERNAME": "nobody", "CREDENTIAL": a.get(t, opts1, ceremony{})}), "NotAuthorizedException", "Incorrect username or password.")
}

func TestPasskeyOrigins(t *testing.T) {
	for _, tc := range []struct {
		origin, rpID string
		want         bool
	}{
		{"https://app.example.com", "app.example.com", true},
		{"https://app.example.com:8443", "app.example.com", true},
		{"https://login.app.example.com", "app.example.com", true},
		{"https://example.com", "app.example.com", false},
		{"https://evilapp.example.com", "app.example.com", false},
		{"http://app.example.com", "app.example.com", false},
		{"https://app.example.com/path", "app.example.com", false},
		{"http://localhost:5173", "localhost", true},
		{"http://localhost", "localhost", true},
		{"https://localhost:8443", "localhost", true},
		{"http://127.0.0.1:5173", "localhost", false},
		{"http://localhost:5173", "app.example.com", false},
		{"android:apk-key-hash:abc", "app.example.com", false},
		{"", "localhost", false},
	} {
		if got := originAllowed(tc.origin, tc.rpID); got != tc.want {
			t.Errorf("originAllowed(%q, %q) = %v; want %v", tc.origin, tc.rpID, got, tc.want)
		}
	}
}

// TestPasskeyFreedWithItsUser: a deleted user's passkeys go with it, so the
// same authenticator can be registered by another user afterwards.
func TestPasskeyFreedWithItsUser(t *testing.T) {
	h, client := passkeyHarness(t, "preferred")
	a := newSoftAuthenticator(t)
	h.register(h.signInWithPassword(client, "alice", demoPass), a)
	bobToken := h.signInWithPassword(client, "bob", "Hunter2!Bob")
	h.wantType(h.call("CompleteWebAuthnRegistration", m{"AccessToken": bobToken, "Credential": a.create(t, h.startRegistration(bobToken), ceremony{})}, false), "InvalidParameterException")
	h.admin("AdminDeleteUser", m{"UserPoolId": demoPool, "Username": "alice"})
	h.register(bobToken, a)
	if ids := credentialIDs(h.listPasskeys(bobToken, nil)); !slices.Equal(ids, []string{b64(a.credID)}) {
		t.Fatalf("bob's passkeys = %v", ids)
	}
	wa := h.passkeyChallenge(client, "bob")
	h.wantTokens(h.respondTo(client, "WEB_AUTHN", wa, m{"USERNAME": "bob", "CREDENTIAL": a.get(t, wa.str("ChallengeParameters", "CREDENTIAL_REQUEST_OPTIONS"), ceremony{})}))
}
