package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// BenchmarkPreventUserExistence measures what a wrong sign-in costs the
// server for a real user and for an unknown name under
// PreventUserExistenceErrors ENABLED: the two must take the same time, or
// the time tells which names exist. Each iteration serves both, one after
// the other, so that load on the machine weighs on both alike; the
// user-ns/op and unknown-ns/op metrics are what to compare.
// Run with: go test -run X -bench PreventUserExistence ./emulator/
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
	c, err := srp.NewClient()
	if err != nil {
		b.Fatal(err)
	}
	requests := []struct {
		name       string
		wantStatus int
		body       func(user string) any
	}{
		{"USER_PASSWORD_AUTH wrong password", http.StatusBadRequest, func(user string) any {
			return m{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": hiddenClient, "AuthParameters": m{"USERNAME": user, "PASSWORD": "Wrong!Pass1"}}
		}},
		{"USER_SRP_AUTH start", http.StatusOK, func(user string) any {
			return m{"AuthFlow": "USER_SRP_AUTH", "ClientId": hiddenClient, "AuthParameters": m{"USERNAME": user, "SRP_A": c.A()}}
		}},
	}
	for _, r := range requests {
		b.Run(r.name, func(b *testing.B) {
			var spent [2]time.Duration
			for b.Loop() {
				for i, user := range []string{"alice", "mallory"} {
					start := time.Now()
					rec := call("InitiateAuth", r.body(user))
					spent[i] += time.Since(start)
					if rec.Code != r.wantStatus {
						b.Fatalf("InitiateAuth(%s) = %d %s; want %d", user, rec.Code, rec.Body, r.wantStatus)
					}
					// Measure the check, not the lockout.
					emu.lockout.succeed(lockKey(demoPool, user))
					emu.lockout.succeed(lockKey(demoPool, "\x00unknown\x00"+user))
				}
			}
			b.ReportMetric(float64(spent[0].Nanoseconds())/float64(b.N), "user-ns/op")
			b.ReportMetric(float64(spent[1].Nanoseconds())/float64(b.N), "unknown-ns/op")
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
