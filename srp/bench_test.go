package srp_test

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// benchCase is one realistic sign-in: a verifier and a server answer made by
// the server half, so B is a full-size group element as Cognito sends it.
type benchCase struct {
	poolName, userID, password string
	a                          []byte // the client's 32-byte ephemeral
	salt, bigA, bigB           string
	serverKey                  []byte
	secretBlock                string
	now                        time.Time
}

// deterministic is a seeded stream, so every run times the same numbers.
func deterministic(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	s[0] = byte(seed)
	return rand.NewChaCha8(s)
}

func newBenchCase(b *testing.B) benchCase {
	b.Helper()
	bc := benchCase{
		poolName:    "cwDemo001",
		userID:      "7d1b2c9e-5f0a-4a8e-9b1e-3c2d4e5f6a7b",
		password:    "Passw0rd!Demo",
		a:           make([]byte, srp.EphemeralBytes),
		secretBlock: "c2VjcmV0c3NlY3Jlc3Rzc2VjcmV0cw==",
		now:         time.Date(2024, time.March, 5, 14, 7, 9, 0, time.UTC),
	}
	rng := deterministic(1)
	rng.Read(bc.a)
	v, err := srp.NewVerifier(bc.poolName, bc.userID, bc.password, srp.WithRandom(rng))
	if err != nil {
		b.Fatal(err)
	}
	bc.salt = srp.Hex(v.Salt)
	cl, err := srp.NewClient(srp.WithRandom(bytes.NewReader(bc.a)))
	if err != nil {
		b.Fatal(err)
	}
	bc.bigA = cl.A()
	srv, err := srp.NewServer(v, bc.bigA, srp.WithRandom(rng))
	if err != nil {
		b.Fatal(err)
	}
	bc.bigB, bc.serverKey = srv.B(), srv.Key()
	// The timed work must be the right work: client and server agree.
	key, err := cl.SessionKey(bc.poolName, bc.userID, bc.password, bc.salt, bc.bigB)
	if err != nil {
		b.Fatal(err)
	}
	if !bytes.Equal(key, bc.serverKey) {
		b.Fatalf("SessionKey = %x; server key %x", key, bc.serverKey)
	}
	return bc
}

func (bc benchCase) claimInput() srp.ClaimInput {
	return srp.ClaimInput{PoolName: bc.poolName, UserID: bc.userID, Password: bc.password,
		Salt: bc.salt, SRPB: bc.bigB, SecretBlock: bc.secretBlock, Now: bc.now}
}

// BenchmarkClientA times NewClient: the ephemeral a and A = g^a mod N.
func BenchmarkClientA(b *testing.B) {
	bc := newBenchCase(b)
	for b.Loop() {
		cl, err := srp.NewClient(srp.WithRandom(bytes.NewReader(bc.a)))
		if err != nil {
			b.Fatal(err)
		}
		if cl.A() != bc.bigA {
			b.Fatal("A changed")
		}
	}
}

// BenchmarkClientSessionKey times u, x, S = (B - k*g^x)^(a+u*x) and the HKDF key.
func BenchmarkClientSessionKey(b *testing.B) {
	bc := newBenchCase(b)
	cl, err := srp.NewClient(srp.WithRandom(bytes.NewReader(bc.a)))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		key, err := cl.SessionKey(bc.poolName, bc.userID, bc.password, bc.salt, bc.bigB)
		if err != nil {
			b.Fatal(err)
		}
		if !bytes.Equal(key, bc.serverKey) {
			b.Fatal("key mismatch")
		}
	}
}

// BenchmarkClientPasswordClaim times the whole answer to PASSWORD_VERIFIER
// (key, TIMESTAMP and signature) for an existing Client.
func BenchmarkClientPasswordClaim(b *testing.B) {
	bc := newBenchCase(b)
	cl, err := srp.NewClient(srp.WithRandom(bytes.NewReader(bc.a)))
	if err != nil {
		b.Fatal(err)
	}
	in := bc.claimInput()
	for b.Loop() {
		claim, err := cl.PasswordClaim(in)
		if err != nil {
			b.Fatal(err)
		}
		if !srp.VerifyClaim(bc.serverKey, bc.poolName, bc.userID, bc.secretBlock, claim.Timestamp, claim.Signature) {
			b.Fatal("claim does not verify")
		}
	}
}

// BenchmarkClientSignIn times all the client's SRP work for one sign-in:
// NewClient (A) followed by PasswordClaim.
func BenchmarkClientSignIn(b *testing.B) {
	bc := newBenchCase(b)
	in := bc.claimInput()
	for b.Loop() {
		cl, err := srp.NewClient(srp.WithRandom(bytes.NewReader(bc.a)))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := cl.PasswordClaim(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewServer times the emulator's side of one sign-in: checking A,
// drawing b, B = k*v + g^b and the server's key.
func BenchmarkNewServer(b *testing.B) {
	bc := newBenchCase(b)
	rng := deterministic(2)
	v, err := srp.NewVerifier(bc.poolName, bc.userID, bc.password, srp.WithRandom(rng))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := srp.NewServer(v, bc.bigA, srp.WithRandom(rng)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewVerifier times what the emulator does when a password is set.
func BenchmarkNewVerifier(b *testing.B) {
	rng := deterministic(3)
	for b.Loop() {
		if _, err := srp.NewVerifier("cwDemo001", "alice", "Passw0rd!Demo", srp.WithRandom(rng)); err != nil {
			b.Fatal(err)
		}
	}
}
