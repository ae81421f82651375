//go:build js && wasm

package srp

import "math/big"

// gComb's tables are built on first use (sync.Once per table).
var gComb = newCombTable(bigG)

// gExp returns g^e mod N. In wasm math/big has no assembly, so exponents of
// up to combBits bits go through the fixed-base comb; others (never produced
// by this package) use math/big's Exp.
func gExp(e *big.Int) *big.Int {
	if e.Sign() < 0 || e.BitLen() > combBits {
		return new(big.Int).Exp(bigG, e, bigN)
	}
	return gComb.exp(e)
}

// modExp returns base^e mod N for 0 <= base < N and e >= 0 through montExp
// (mont.go), about twice as fast in wasm as math/big's Exp.
func modExp(base, e *big.Int) *big.Int { return montExp(base, e) }
