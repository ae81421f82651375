package srp

import (
	"fmt"
	"math/big"
	"time"
)

// Client is one SRP attempt from the client side: the secret ephemeral a and
// the public A = g^a. Use a fresh Client for every sign-in and device step.
type Client struct {
	a, bigA *big.Int
}

// NewClient draws a fresh ephemeral from crypto/rand (or WithRandom).
func NewClient(opts ...Option) (*Client, error) {
	o := buildOptions(opts)
	for {
		a := randomInt(o.rand, EphemeralBytes)
		if a.Sign() == 0 {
			continue
		}
		return &Client{a: a, bigA: gExp(a)}, nil
	}
}

// A returns SRP_A as Cognito expects it: lowercase hex, no padding.
func (c *Client) A() string { return Hex(c.bigA) }

// SessionKey validates the server's SALT and SRP_B and derives the 16-byte
// key. It refuses B ≡ 0 (mod N) and u = 0, as SRP-6a requires.
func (c *Client) SessionKey(poolName, userID, password, saltHex, bHex string) ([]byte, error) {
	salt, err := ParseHex("SALT", saltHex)
	if err != nil {
		return nil, err
	}
	B, err := ParseHex("SRP_B", bHex)
	if err != nil {
		return nil, err
	}
	if B.Sign() < 0 {
		return nil, fmt.Errorf("srp: SRP_B is negative")
	}
	if isZeroModN(B) {
		return nil, fmt.Errorf("srp: SRP_B %w", errZeroModN)
	}
	u := scramble(c.bigA, B)
	if u.Sign() == 0 {
		return nil, fmt.Errorf("srp: scrambling parameter u is 0")
	}
	x := privateKey(salt, poolName, userID, password)
	return deriveKey(u, c.premaster(B, u, x)), nil
}

// premaster computes S = (B - k*g^x)^(a + u*x) mod N, in [0, N).
func (c *Client) premaster(B, u, x *big.Int) *big.Int {
	gx := gExp(x)
	base := new(big.Int).Mul(bigK, gx)
	base.Sub(B, base)
	base.Mod(base, bigN)
	exp := new(big.Int).Mul(u, x)
	exp.Add(exp, c.a)
	return modExp(base, exp)
}

// ClaimInput is what a PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER)
// challenge gives the client, plus the secrets it brings itself.
type ClaimInput struct {
	PoolName    string    // pool name after '_', or the DeviceGroupKey
	UserID      string    // USER_ID_FOR_SRP, or the DeviceKey
	Password    string    // the user's or the device's password
	Salt        string    // SALT, hex
	SRPB        string    // SRP_B, hex
	SecretBlock string    // SECRET_BLOCK, base64, passed back unchanged
	Now         time.Time // signing time; zero means time.Now()
}

// Claim is the signed answer: PASSWORD_CLAIM_SIGNATURE and TIMESTAMP.
type Claim struct {
	Signature string
	Timestamp string
}

// PasswordClaim computes the whole answer to a password-verifier challenge.
func (c *Client) PasswordClaim(in ClaimInput) (Claim, error) {
	if _, err := DecodeSecretBlock(in.SecretBlock); err != nil {
		return Claim{}, err
	}
	key, err := c.SessionKey(in.PoolName, in.UserID, in.Password, in.Salt, in.SRPB)
	if err != nil {
		return Claim{}, err
	}
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	ts := Timestamp(now)
	sig, err := ClaimSignature(key, in.PoolName, in.UserID, in.SecretBlock, ts)
	if err != nil {
		return Claim{}, err
	}
	return Claim{Signature: sig, Timestamp: ts}, nil
}
