package emulator

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestAccountCodesStoredHashed: a sign-up code and a password-reset code
// confirm, wrong ones are refused, and the store file never holds either
// code in plain text (the outbox, in memory, still delivers it).
func TestAccountCodesStoredHashed(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: time.Date(2026, 3, 7, 15, 4, 5, 0, time.UTC)}
	h, stop := storedHarness(t, dir, c, false)
	pool, client := h.accountPool(m{"AutoVerifiedAttributes": []string{"email"}}, nil)
	wantOK(t, "SignUp", h.call("SignUp", m{"ClientId": client, "Username": "erin", "Password": newPass,
		"UserAttributes": []m{{"Name": "email", "Value": "erin@example.com"}}}, false))
	_, msgs := h.outbox(pool, "erin")
	if len(msgs) != 1 || len(msgs[0].Code) != 6 {
		t.Fatalf("outbox = %+v", msgs)
	}
	signUpCode := msgs[0].Code
	assertNotInStore(t, dir, signUpCode)
	wantErr(t, "ConfirmSignUp wrong code", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "erin", "ConfirmationCode": otherCode(signUpCode)}, false),
		"CodeMismatchException", "Invalid verification code provided, please try again.")
	wantOK(t, "ConfirmSignUp", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "erin", "ConfirmationCode": signUpCode}, false))

	wantOK(t, "ForgotPassword", h.call("ForgotPassword", m{"ClientId": client, "Username": "erin"}, false))
	_, msgs = h.outbox(pool, "erin")
	resetCode := msgs[len(msgs)-1].Code
	assertNotInStore(t, dir, resetCode)
	// The hash survives a restart: the key is kept in the store.
	stop()
	h, _ = storedHarness(t, dir, c, false)
	wantErr(t, "ConfirmForgotPassword wrong code", h.call("ConfirmForgotPassword", m{"ClientId": client, "Username": "erin",
		"ConfirmationCode": otherCode(resetCode), "Password": newPass + "x"}, false),
		"CodeMismatchException", "Invalid verification code provided, please try again.")
	wantOK(t, "ConfirmForgotPassword", h.call("ConfirmForgotPassword", m{"ClientId": client, "Username": "erin",
		"ConfirmationCode": resetCode, "Password": newPass + "x"}, false))
}

// TestPlainTextCodeFromOlderVersion: a code an older version stored in plain
// text still confirms, once, and is hashed when checked.
func TestPlainTextCodeFromOlderVersion(t *testing.T) {
	h := newHarness(t, nil)
	pool, client := h.accountPool(m{"AutoVerifiedAttributes": []string{"email"}}, nil)
	wantOK(t, "SignUp", h.call("SignUp", m{"ClientId": client, "Username": "finn", "Password": newPass,
		"UserAttributes": []m{{"Name": "email", "Value": "finn@example.com"}}}, false))
	const legacy = "424242"
	setPending := func() {
		err := h.emu.store.update(func(tx *txn) error {
			p, err := tx.pool(pool)
			if err != nil {
				return err
			}
			u, err := tx.user(pool, p.fold("finn"))
			if err != nil || u == nil {
				t.Fatalf("user finn: %v", err)
			}
			old := u.clone()
			pc := u.Codes[codeSignUp]
			pc.MAC, pc.Code = nil, legacy
			u.Codes[codeSignUp] = pc
			return tx.putUser(p, old, u)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	pending := func() pendingCode {
		var pc pendingCode
		_ = h.emu.store.view(func(tx *txn) error {
			p, _ := tx.pool(pool)
			u, _ := tx.user(pool, p.fold("finn"))
			pc = u.Codes[codeSignUp]
			return nil
		})
		return pc
	}
	setPending()
	wantErr(t, "ConfirmSignUp wrong code", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "finn", "ConfirmationCode": "424243"}, false),
		"CodeMismatchException", "Invalid verification code provided, please try again.")
	if pc := pending(); pc.Code != "" || len(pc.MAC) == 0 {
		t.Fatalf("after a wrong answer the old code is still in plain text: %+v", pc)
	}
	wantOK(t, "ConfirmSignUp old code", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "finn", "ConfirmationCode": legacy}, false))
}

func otherCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// assertNotInStore fails if the store file holds code as a JSON string,
// the way a pending code was stored in plain text.
func assertNotInStore(t *testing.T, dir, code string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, storeFile))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(`"`+code+`"`)) {
		t.Fatalf("the store file holds the code %s in plain text", code)
	}
}
