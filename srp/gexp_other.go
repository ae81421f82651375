//go:build !(js && wasm)

package srp

import "math/big"

// gExp returns g^e mod N with math/big's Exp: native builds do not take the
// wasm-only comb (comb.go) in this step, which keeps the emulator and native
// clients on the well-trodden path.
func gExp(e *big.Int) *big.Int { return new(big.Int).Exp(bigG, e, bigN) }
