package srp

import (
	"fmt"
	"math/big"
)

// SaltBytes is the size of a fresh verifier salt.
const SaltBytes = 16

// Verifier is what a server stores instead of a password: the salt and
// v = g^x. It is equally what a client registers for a remembered device.
type Verifier struct {
	Salt *big.Int
	V    *big.Int
}

// NewVerifier makes a verifier with a fresh random salt.
func NewVerifier(poolName, userID, password string, opts ...Option) (Verifier, error) {
	o := buildOptions(opts)
	salt := randomInt(o.rand, SaltBytes)
	return VerifierWithSalt(salt, poolName, userID, password), nil
}

// VerifierWithSalt computes v = g^x for a given salt.
func VerifierWithSalt(salt *big.Int, poolName, userID, password string) Verifier {
	return verifierWithSalt(salt, poolName, userID, password, gExp)
}

// verifierWithSalt is VerifierWithSalt with g^x from gexp.
func verifierWithSalt(salt *big.Int, poolName, userID, password string, gexp func(*big.Int) *big.Int) Verifier {
	x := privateKey(salt, poolName, userID, password)
	return Verifier{Salt: new(big.Int).Set(salt), V: gexp(x)}
}

// Server is one SRP attempt from the server side. NewServer does all the
// arithmetic up front, so a challenge session need only keep B and the key.
type Server struct {
	bigB *big.Int
	key  []byte
}

// NewServer checks the client's SRP_A, draws b, and derives B and the session
// key for verifier v. It refuses A ≡ 0 (mod N) and u = 0.
func NewServer(v Verifier, aHex string, opts ...Option) (*Server, error) {
	return newServer(v, aHex, gExp, opts)
}

// newServer is NewServer with g^b from gexp.
func newServer(v Verifier, aHex string, gexp func(*big.Int) *big.Int, opts []Option) (*Server, error) {
	A, err := ParseHex("SRP_A", aHex)
	if err != nil {
		return nil, err
	}
	if A.Sign() < 0 {
		return nil, fmt.Errorf("srp: SRP_A is negative")
	}
	if isZeroModN(A) {
		return nil, fmt.Errorf("srp: SRP_A %w", errZeroModN)
	}
	if v.V == nil || v.V.Sign() <= 0 {
		return nil, fmt.Errorf("srp: verifier is empty")
	}
	o := buildOptions(opts)
	for {
		b := randomInt(o.rand, EphemeralBytes)
		// B = k*v + g^b mod N
		B := gexp(b)
		kv := new(big.Int).Mul(bigK, v.V)
		B.Add(B, kv).Mod(B, bigN)
		if B.Sign() == 0 {
			continue
		}
		u := scramble(A, B)
		if u.Sign() == 0 {
			continue // vanishingly unlikely; a new b gives a new u
		}
		// S = (A * v^u)^b mod N
		S := new(big.Int).Exp(v.V, u, bigN)
		S.Mul(S, A).Mod(S, bigN)
		S.Exp(S, b, bigN)
		return &Server{bigB: B, key: deriveKey(u, S)}, nil
	}
}

// B returns SRP_B as lowercase hex.
func (s *Server) B() string { return Hex(s.bigB) }

// Key returns the 16-byte session key, to check the client's claim with VerifyClaim.
func (s *Server) Key() []byte { return append([]byte(nil), s.key...) }
