package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// BenchmarkSRPSignInServer measures the emulator's side of one complete
// USER_SRP_AUTH sign-in (InitiateAuth, then RespondToAuthChallenge to
// tokens) through ServeHTTP, on a durable store as the command runs it. The
// client's SRP work is done between the two calls but not counted:
// server-ns/op is the emulator's time alone. For a profile of the server:
// go test -run X -bench SRPSignInServer -cpuprofile cpu.out ./emulator/
// and look below ServeHTTP.
func BenchmarkSRPSignInServer(b *testing.B) {
	s := demoSeed()
	emu, err := New(Config{SigningKey: sharedKey(b), DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = emu.Close() })
	if err := emu.Seed(s); err != nil {
		b.Fatal(err)
	}
	poolName, _ := srp.PoolName(demoPool)
	call := func(op string, body any) (map[string]any, time.Duration) {
		raw, _ := json.Marshal(body)
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(raw))
		req.Header.Set("X-Amz-Target", targetPrefix+op)
		rec := httptest.NewRecorder()
		start := time.Now()
		emu.ServeHTTP(rec, req)
		d := time.Since(start)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s = %d %s; want 200", op, rec.Code, rec.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			b.Fatal(err)
		}
		return out, d
	}
	var spent time.Duration
	for b.Loop() {
		c, err := srp.NewClient()
		if err != nil {
			b.Fatal(err)
		}
		ch, d1 := call("InitiateAuth", m{"AuthFlow": "USER_SRP_AUTH", "ClientId": demoClient,
			"AuthParameters": m{"USERNAME": demoUser, "SRP_A": c.A()}})
		p := ch["ChallengeParameters"].(map[string]any)
		claim, err := c.PasswordClaim(srp.ClaimInput{PoolName: poolName, UserID: p["USER_ID_FOR_SRP"].(string), Password: demoPass,
			Salt: p["SALT"].(string), SRPB: p["SRP_B"].(string), SecretBlock: p["SECRET_BLOCK"].(string), Now: time.Now()})
		if err != nil {
			b.Fatal(err)
		}
		out, d2 := call("RespondToAuthChallenge", m{"ClientId": demoClient, "ChallengeName": "PASSWORD_VERIFIER", "Session": ch["Session"],
			"ChallengeResponses": m{"USERNAME": demoUser, "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "TIMESTAMP": claim.Timestamp,
				"PASSWORD_CLAIM_SIGNATURE": claim.Signature}})
		if out["AuthenticationResult"] == nil {
			b.Fatalf("RespondToAuthChallenge = %v; want tokens", out)
		}
		spent += d1 + d2
	}
	b.ReportMetric(float64(spent.Nanoseconds())/float64(b.N), "server-ns/op")
}
