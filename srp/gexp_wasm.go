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

// modExp returns base^e mod N through montExp (mont.go), several times
// faster in wasm than math/big's Exp; a negative e (never produced by this
// package) goes to math/big, which reads it as a modular inverse.
func modExp(base, e *big.Int) *big.Int {
	if e.Sign() < 0 {
		return new(big.Int).Exp(base, e, bigN)
	}
	return montExp(base, e)
}
