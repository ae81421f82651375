package srp

import (
	"math/big"
	"sync"
)

// A long-running server (the emulator) computes g^b for every sign-in, and
// g^x for every password it checks or sets, with the same g = 2.
// NewServerTabled and VerifierWithSaltTabled read it from tables of powers of g built
// once: entry [i][j] is g^(j * 2^(8i)) mod N, so a 256-bit b costs one
// modular multiplication per byte, 32 in all, against about 330 Montgomery
// multiplications for math/big's Exp: a third of the server's SRP work
// becomes a twentieth. The tables take about 3.4 MB and about 8,000
// multiplications (50 ms) to build, on first use, which only a server
// doing many sign-ins earns back; clients keep gExp. math/big's
// multiplication and the byte-indexed lookups are not constant-time, like
// math/big's Exp beside them (doc.go).
const (
	serverTableRows = EphemeralBytes // one row per byte of b
	serverTableCols = 256            // one entry per byte value
)

var serverTable struct {
	once sync.Once
	rows [serverTableRows][serverTableCols]*big.Int
}

// serverGExp returns g^e mod N for e >= 0; exponents wider than the tables
// (never drawn here: b and x are 256 bits) take math/big's Exp.
func serverGExp(e *big.Int) *big.Int {
	if e.Sign() < 0 || e.BitLen() > 8*serverTableRows {
		return new(big.Int).Exp(bigG, e, bigN)
	}
	serverTable.once.Do(buildServerTable)
	var buf [serverTableRows]byte
	e.FillBytes(buf[:]) // big-endian: buf[serverTableRows-1-i] is byte i
	r := big.NewInt(1)
	prod := new(big.Int)
	for i := range serverTableRows {
		if j := buf[serverTableRows-1-i]; j != 0 {
			r.Mod(prod.Mul(r, serverTable.rows[i][j]), bigN)
		}
	}
	return r
}

func buildServerTable() {
	base := new(big.Int).Set(bigG) // g^(2^(8i))
	for i := range serverTableRows {
		row := &serverTable.rows[i]
		row[0] = big.NewInt(1)
		row[1] = new(big.Int).Set(base)
		for j := 2; j < serverTableCols; j++ {
			p := new(big.Int).Mul(row[j-1], base)
			row[j] = p.Mod(p, bigN)
		}
		// The next row's base is g^(2^(8(i+1))) = (row's g^(255 * 2^(8i))) * base.
		base = new(big.Int).Mul(row[serverTableCols-1], base)
		base.Mod(base, bigN)
	}
}

// NewServerTabled is NewServer with g^b from the server tables above: the
// same checks and, for the same randomness, the same B and session key.
func NewServerTabled(v Verifier, aHex string, opts ...Option) (*Server, error) {
	return newServer(v, aHex, serverGExp, opts)
}

// VerifierWithSaltTabled is VerifierWithSalt with g^x from the server
// tables, for a server that checks passwords (USER_PASSWORD_AUTH) or sets
// them: the same verifier, for a multiplication per byte of x.
func VerifierWithSaltTabled(salt *big.Int, poolName, userID, password string) Verifier {
	return verifierWithSalt(salt, poolName, userID, password, serverGExp)
}
