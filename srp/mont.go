package srp

import "math/big"

// montMul, the inner loop, is generated: straight code for N's 110 limbs.
//
//go:generate go run ./internal/montgen -o montmul_gen.go

// Montgomery arithmetic modulo the group prime N, for wasm builds, where
// math/big has no assembly and its word multiply (bits.Mul64) is emulated.
// Numbers are montLimbs limbs of montLimbBits bits, little-endian, each held
// in a uint64 so that a 28x28-bit product and a column of 110 of them fit
// without carrying (montmul_gen.go). Values live in Montgomery form xR mod N
// with R = 2^3080, and are kept below 2N rather than N: R > 4N makes that
// closed under montMul, so no step needs a data-dependent final subtraction.
// Like comb.go the code is untagged and only used by wasm builds
// (gexp_wasm.go), so native tests exercise it too.
const (
	montLimbBits = 28
	montLimbs    = 110
	montMask     = 1<<montLimbBits - 1
	montRBits    = montLimbs * montLimbBits
)

type montNat [montLimbs]uint64

var (
	// montOne is 1 in Montgomery form: R mod N.
	montOne = toMontNat(new(big.Int).Mod(new(big.Int).Lsh(big.NewInt(1), montRBits), bigN))
	// montR2 is R^2 mod N, for toMont.
	montR2 = toMontNat(new(big.Int).Mod(new(big.Int).Lsh(big.NewInt(1), 2*montRBits), bigN))
)

// toMontNat splits 0 <= x < 2^montRBits into limbs (no Montgomery form).
func toMontNat(x *big.Int) *montNat {
	var z montNat
	var acc uint64 // bits not yet placed, low first
	accBits := 0
	k := 0
	for _, w := range x.Bits() {
		for s := 0; s < wordBits; s += 32 { // 32 bits at a time: acc never overflows
			acc |= uint64(uint32(uint(w)>>s)) << accBits
			accBits += 32
			for accBits >= montLimbBits && k < montLimbs {
				z[k] = acc & montMask
				acc >>= montLimbBits
				accBits -= montLimbBits
				k++
			}
		}
	}
	if k < montLimbs {
		z[k] = acc & montMask
	}
	return &z
}

// bigFromMontNat joins normalized limbs back into an integer.
func bigFromMontNat(x *montNat) *big.Int {
	words := make([]big.Word, (montRBits+wordBits-1)/wordBits)
	for i, l := range x {
		bit := i * montLimbBits
		q, r := bit/wordBits, bit%wordBits
		words[q] |= big.Word(l << r)
		if r+montLimbBits > wordBits {
			words[q+1] |= big.Word(l >> (wordBits - r))
		}
	}
	return new(big.Int).SetBits(words)
}

// toMont returns xR mod N (below 2N) for 0 <= x < 2N: x times R^2 mod N,
// through montMul.
func toMont(x *big.Int) *montNat {
	z := toMontNat(x)
	montMul(z, z, montR2)
	return z
}

// fromMont returns x/R mod N, fully reduced to [0, N), for x < 2N in
// Montgomery form.
func fromMont(x *montNat) *big.Int {
	var one, z montNat
	one[0] = 1
	montMul(&z, x, &one) // z = x/R mod N, and z <= N
	montReduce(&z, &z)
	return bigFromMontNat(&z)
}

// ctEqMask returns all ones if a == b, else 0, without a branch.
func ctEqMask(a, b uint) uint64 {
	x := uint64(a ^ b)
	// x|-x has its top bit set iff x != 0.
	return (x|-x)>>63 - 1
}

// expWindow is the fixed window of montExp: 5 bits, a 32-entry table,
// which measured fastest for ~512-bit exponents (513 bits: 103 windows).
const expWindow = 5

// expMinBits is the shortest exponent montExp processes: u and x are 256-bit
// hashes and a has at most 512 bits, so a + u*x is below 2^513 and every
// client exponent takes the same number of steps whatever its length.
const expMinBits = 2*256 + 1

// The bound above needs a below 2^512.
var _ = [1]struct{}{}[max(0, 8*EphemeralBytes-512)]

// montExp returns base^e mod N for any base and e >= 0 with a fixed
// window: every window squares expWindow times and multiplies by a table
// entry read with montSelect (entry 0 is 1), so the sequence of operations
// and memory reads depends only on the exponent's length, rounded up to
// expMinBits.
func montExp(base, e *big.Int) *big.Int {
	if base.Sign() < 0 || base.Cmp(bigN) >= 0 { // never for premaster's base
		base = new(big.Int).Mod(base, bigN)
	}
	var table [1 << expWindow]montNat
	table[0] = *montOne
	table[1] = *toMont(base)
	for k := 2; k < len(table); k++ {
		montMul(&table[k], &table[k-1], &table[1])
	}
	nbits := max(e.BitLen(), expMinBits)
	windows := (nbits + expWindow - 1) / expWindow
	ew := e.Bits()
	var r, f montNat
	for w := windows - 1; w >= 0; w-- {
		idx := uint(0)
		for j := expWindow - 1; j >= 0; j-- {
			idx = idx<<1 | uint(bit(ew, w*expWindow+j))
		}
		if w == windows-1 {
			montSelect(&r, table[:], idx)
			continue
		}
		for s := 0; s < expWindow; s++ {
			montMul(&r, &r, &r)
		}
		montSelect(&f, table[:], idx)
		montMul(&r, &r, &f)
	}
	return fromMont(&r)
}
