//go:build js && wasm

package main

import (
	"testing"
)

// TestPasskeyOperationsCarried: the shim's passkey calls go through
// accountCall: signed out they are UserUnAuthenticatedException before
// anything is sent; signed in the user's access token goes with them (the
// test pool has no WEB_AUTHN factor, which the emulator says).
func TestPasskeyOperationsCarried(t *testing.T) {
	ns := newNamespace(t)
	h := newHandleJS(t, ns, "cfg")
	for _, op := range []string{"StartWebAuthnRegistration", "CompleteWebAuthnRegistration", "ListWebAuthnCredentials", "DeleteWebAuthnCredential"} {
		_, err := call(t, h, "accountCall", jsArgs(t, `[JSON.stringify({Operation: "`+op+`", Request: {}})]`))
		if name, _ := rejection(err); name != "UserUnAuthenticatedException" {
			t.Errorf("%s signed out = %v; want UserUnAuthenticatedException", op, err)
		}
	}
	_, err := call(t, h, "accountCall", jsArgs(t, `[JSON.stringify({Operation: "ListWebAuthnCredentials", Request: {AccessToken: "x"}})]`))
	if name, msg := rejection(err); name != "InvalidParameterException" || msg == "" {
		t.Errorf("ListWebAuthnCredentials with its own AccessToken = %v; want InvalidParameterException", err)
	}
	if _, err := call(t, h, "signIn", jsArgs(t, `[{username: "alice", password: "Passw0rd!Alice"}]`)); err != nil {
		t.Fatalf("signIn = %v", err)
	}
	_, err = call(t, h, "accountCall", jsArgs(t, `[JSON.stringify({Operation: "StartWebAuthnRegistration", Request: {}})]`))
	if name, _ := rejection(err); name != "WebAuthnNotEnabledException" {
		t.Errorf("StartWebAuthnRegistration signed in = %v; want WebAuthnNotEnabledException (the token was sent)", err)
	}
	v, err := call(t, h, "accountCall", jsArgs(t, `[JSON.stringify({Operation: "ListWebAuthnCredentials", Request: {MaxResults: 5}})]`))
	if err != nil || v.Index(0).String() != `{"Credentials":[]}` {
		t.Errorf("ListWebAuthnCredentials signed in = %v, %v; want no credentials", v, err)
	}
}
