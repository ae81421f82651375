package srp

import (
	"crypto/rand"
	"io"
	"math/big"
)

// EphemeralBytes is the size of the secret ephemerals a and b: 256 bits, the
// RFC 5054 minimum and twice the 3072-bit group's security level. (AWS's JS
// clients draw 128 bytes; the shorter exponent is what makes A cheaper.)
const EphemeralBytes = 32

// Option adjusts a Client, Server or verifier constructor.
type Option func(*options)

type options struct {
	rand io.Reader
}

// WithRandom sets the source of secret randomness (default crypto/rand).
// Tests use it to replay known-answer vectors.
func WithRandom(r io.Reader) Option { return func(o *options) { o.rand = r } }

func buildOptions(opts []Option) options {
	o := options{rand: rand.Reader}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// randomInt reads n bytes as a positive integer. A failing random source is the
// one panic this package allows: nothing safe can be done without randomness.
func randomInt(r io.Reader, n int) *big.Int {
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		panic("srp: random source failed: " + err.Error())
	}
	return new(big.Int).SetBytes(buf)
}
