package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// BenchmarkPreventUserExistence measures what a wrong sign-in costs the
// server for a real user and for an unknown name under
// PreventUserExistenceErrors ENABLED: the two must take the same time, or
// the time tells which names exist. Run with -bench PreventUserExistence.
func BenchmarkPreventUserExistence(b *testing.B) {
	s := demoSeed()
	emu, err := New(Config{SigningKey: sharedKey(b)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = emu.Close() })
	if err := emu.Seed(s); err != nil {
		b.Fatal(err)
	}
	call := func(op string, body any) *httptest.ResponseRecorder {
		raw, _ := json.Marshal(body)
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(raw))
		req.Header.Set("X-Amz-Target", targetPrefix+op)
		rec := httptest.NewRecorder()
		emu.ServeHTTP(rec, req)
		return rec
	}
	for _, user := range []string{"alice", "mallory"} {
		b.Run("USER_PASSWORD_AUTH wrong password/"+user, func(b *testing.B) {
			for b.Loop() {
				rec := call("InitiateAuth", m{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": hiddenClient,
					"AuthParameters": m{"USERNAME": user, "PASSWORD": "Wrong!Pass1"}})
				if rec.Code != http.StatusBadRequest {
					b.Fatalf("InitiateAuth(%s) = %d %s; want 400", user, rec.Code, rec.Body)
				}
				// Measure the check, not the lockout.
				emu.lockout.succeed(lockKey(demoPool, user))
				emu.lockout.succeed(lockKey(demoPool, "\x00unknown\x00"+user))
			}
		})
		b.Run("USER_SRP_AUTH start/"+user, func(b *testing.B) {
			c, err := srp.NewClient()
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				rec := call("InitiateAuth", m{"AuthFlow": "USER_SRP_AUTH", "ClientId": hiddenClient,
					"AuthParameters": m{"USERNAME": user, "SRP_A": c.A()}})
				if rec.Code != http.StatusOK {
					b.Fatalf("InitiateAuth(%s) = %d %s; want 200", user, rec.Code, rec.Body)
				}
			}
		})
	}
}

// TestPreventUserExistenceLockout: under ENABLED an unknown name answers
// every wrong attempt as a user does, lockout included.
func TestPreventUserExistenceLockout(t *testing.T) {
	for _, flow := range []string{"USER_PASSWORD_AUTH", "USER_SRP_AUTH"} {
		for _, user := range []string{"bob", "mallory"} {
			t.Run(flow+"/"+user, func(t *testing.T) {
				h := demoHarness(t)
				var got []string
				for range 7 {
					var res response
					if flow == "USER_PASSWORD_AUTH" {
						res = h.passwordAuth(hiddenClient, map[string]string{"USERNAME": user, "PASSWORD": "Wrong!Pass1"})
					} else {
						res = h.srpSignIn(demoPool, hiddenClient, user, "Wrong!Pass1")
					}
					got = append(got, res.errType()+": "+res.message())
				}
				bad, locked := "NotAuthorizedException: Incorrect username or password.", "NotAuthorizedException: Password attempts exceeded"
				want := []string{bad, bad, bad, bad, bad, locked, locked}
				if !slices.Equal(got, want) {
					t.Errorf("%s(%q) seven wrong tries = %q; want %q", flow, user, got, want)
				}
			})
		}
	}
}
