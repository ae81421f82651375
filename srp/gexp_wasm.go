//go:build js && wasm

package srp

import "math/big"

// gComb's tables are built on first use (sync.Once per table).
var gComb = newCombTable(bigG, bigN)

// gExp returns g^e mod N. In wasm math/big has no assembly, so exponents of
// up to combBits bits go through the fixed-base comb; others (never produced
// by this package) use math/big's Exp.
func gExp(e *big.Int) *big.Int {
	if e.Sign() < 0 || e.BitLen() > combBits {
		return new(big.Int).Exp(bigG, e, bigN)
	}
	return gComb.exp(e)
}
