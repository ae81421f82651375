//go:build !(js && wasm)

package account

import (
	"context"
	"encoding/json"
	"testing"
)

// TestSendWebAuthn: Send carries the passkey operations with the user's
// access token (the emulator reads it: a wrong one is refused as such) and
// answers for the pool, which has no WEB_AUTHN factor. Registration and
// sign-in with a passkey run in Chromium (e2e/passkey_test.go).
func TestSendWebAuthn(t *testing.T) {
	e := newEnv(t)
	c := e.client(publicApp, "")
	tok := e.signIn(publicApp, "", "alice", alicePass)
	token := func(s string) func(context.Context) (string, error) {
		return func(context.Context) (string, error) { return s, nil }
	}
	_, err := c.Send(ctx(), "StartWebAuthnRegistration", nil, token(tok.AccessToken))
	wantAPI(t, "StartWebAuthnRegistration", err, "WebAuthnNotEnabledException", "")
	raw, err := c.Send(ctx(), "ListWebAuthnCredentials", []byte(`{"MaxResults":5}`), token(tok.AccessToken))
	var list struct{ Credentials []json.RawMessage }
	if err != nil || json.Unmarshal(raw, &list) != nil || list.Credentials == nil || len(list.Credentials) != 0 {
		t.Errorf("ListWebAuthnCredentials = %s, %v; want an empty list", raw, err)
	}
	_, err = c.Send(ctx(), "ListWebAuthnCredentials", nil, token("not-a-token"))
	wantAPI(t, "ListWebAuthnCredentials with a bad token", err, "NotAuthorizedException", "")
	_, err = c.Send(ctx(), "CompleteWebAuthnRegistration", []byte(`{"Credential":{"id":"x"}}`), token(tok.AccessToken))
	wantAPI(t, "CompleteWebAuthnRegistration", err, "WebAuthnNotEnabledException", "")
	_, err = c.Send(ctx(), "DeleteWebAuthnCredential", []byte(`{"CredentialId":"x"}`), token(tok.AccessToken))
	wantAPI(t, "DeleteWebAuthnCredential", err, "ResourceNotFoundException", "The passkey does not exist.")
}
