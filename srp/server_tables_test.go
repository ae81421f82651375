package srp

import (
	"bytes"
	"crypto/rand"
	"math/big"
	"testing"
)

func TestServerGExp(t *testing.T) {
	max := new(big.Int).Lsh(big.NewInt(1), 8*EphemeralBytes)
	cases := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(2), big.NewInt(255), big.NewInt(256),
		new(big.Int).Sub(max, big.NewInt(1)), new(big.Int).Rsh(max, 1), new(big.Int).Lsh(big.NewInt(0xff), 8*(EphemeralBytes-1)),
		max, new(big.Int).Lsh(max, 100)} // wider than the tables
	for range 20 {
		e, err := rand.Int(rand.Reader, max)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, e)
	}
	for _, e := range cases {
		want := new(big.Int).Exp(bigG, e, bigN)
		if got := serverGExp(e); got.Cmp(want) != 0 {
			t.Errorf("serverGExp(%x) = %x; want %x", e, got, want)
		}
	}
}

func FuzzServerGExp(f *testing.F) {
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{0xff}, EphemeralBytes))
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 2*EphemeralBytes {
			b = b[:2*EphemeralBytes]
		}
		e := new(big.Int).SetBytes(b)
		if got, want := serverGExp(e), new(big.Int).Exp(bigG, e, bigN); got.Cmp(want) != 0 {
			t.Errorf("serverGExp(%x) = %x; want %x", e, got, want)
		}
	})
}

// TestNewServerTabledMatchesNewServer: for the same randomness the two
// constructors give the same B and key, and refuse the same A.
func TestNewServerTabledMatchesNewServer(t *testing.T) {
	v, err := NewVerifier("cwDemo001", "alice", "Passw0rd!Demo")
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		c, err := NewClient()
		if err != nil {
			t.Fatal(err)
		}
		seed := make([]byte, 4*EphemeralBytes)
		_, _ = rand.Read(seed)
		want, err1 := NewServer(v, c.A(), WithRandom(bytes.NewReader(seed)))
		got, err2 := NewServerTabled(v, c.A(), WithRandom(bytes.NewReader(seed)))
		if err1 != nil || err2 != nil {
			t.Fatalf("NewServer() = %v, NewServerTabled() = %v", err1, err2)
		}
		if got.B() != want.B() || !bytes.Equal(got.Key(), want.Key()) {
			t.Errorf("NewServerTabled() B, key = %s, %x; want NewServer's %s, %x", got.B(), got.Key(), want.B(), want.Key())
		}
	}
	for _, a := range []string{"", "0", Hex(bigN), "-" + Hex(bigN), "-5", "xyz", Hex(new(big.Int).Lsh(bigN, 1))} {
		_, err1 := NewServer(v, a)
		_, err2 := NewServerTabled(v, a)
		if err1 == nil || err2 == nil || err1.Error() != err2.Error() {
			t.Errorf("SRP_A %.20q: NewServerTabled() = %v; want NewServer's %v (an error)", a, err2, err1)
		}
	}
	if _, err := NewServerTabled(Verifier{Salt: v.Salt}, "5"); err == nil {
		t.Errorf("NewServerTabled(empty verifier) = nil error; want one")
	}
}

func BenchmarkServer(b *testing.B) {
	v, err := NewVerifier("cwDemo001", "alice", "Passw0rd!Demo")
	if err != nil {
		b.Fatal(err)
	}
	c, err := NewClient()
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range []struct {
		name string
		new  func(Verifier, string, ...Option) (*Server, error)
	}{{"NewServer", NewServer}, {"NewServerTabled", NewServerTabled}} {
		b.Run(s.name, func(b *testing.B) {
			if _, err := s.new(v, c.A()); err != nil { // builds the tables once
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := s.new(v, c.A()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestVerifierWithSaltTabled(t *testing.T) {
	for _, c := range []struct{ pool, user, password string }{
		{"cwDemo001", "alice", "Passw0rd!Demo"},
		{"cwDemo001", "Zoë", "Pässwörd!1Ω"},
		{"x", "", ""},
	} {
		v, err := NewVerifier(c.pool, c.user, c.password)
		if err != nil {
			t.Fatal(err)
		}
		got := VerifierWithSaltTabled(v.Salt, c.pool, c.user, c.password)
		if got.Salt.Cmp(v.Salt) != 0 || got.V.Cmp(v.V) != 0 {
			t.Errorf("VerifierWithSaltTabled(%q, %q) = %x; want %x", c.pool, c.user, got.V, v.V)
		}
	}
}
