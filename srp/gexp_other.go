//go:build !(js && wasm)

package srp

import "math/big"

// gExp returns g^e mod N with math/big's Exp: native builds do not take the
// wasm-only comb (comb.go), which keeps the emulator and native clients on
// the well-trodden path, and math/big's assembly is faster natively.
func gExp(e *big.Int) *big.Int { return new(big.Int).Exp(bigG, e, bigN) }

// modExp returns base^e mod N with math/big's Exp; wasm builds use montExp.
func modExp(base, e *big.Int) *big.Int { return new(big.Int).Exp(base, e, bigN) }
