package srp

import (
	"math/big"
	"testing"
)

var montR = new(big.Int).Lsh(big.NewInt(1), montRBits)

// montRInv is R^-1 mod N, to compute montMul's expected value with math/big.
var montRInv = new(big.Int).ModInverse(montR, bigN)

// checkNormalized fails unless every limb of x fits in montLimbBits.
func checkNormalized(t testing.TB, what string, x *montNat) {
	t.Helper()
	for i, l := range x {
		if l > montMask {
			t.Fatalf("%s: limb %d is %#x, over %d bits", what, i, l, montLimbBits)
		}
	}
}

// montEdges are operands below 2N that stress carries and the 2N bound.
func montEdges() []*big.Int {
	one := big.NewInt(1)
	twoN := new(big.Int).Lsh(bigN, 1)
	return []*big.Int{
		new(big.Int), one, big.NewInt(2), new(big.Int).Sub(bigN, one), bigN,
		new(big.Int).Add(bigN, one), new(big.Int).Sub(twoN, one),
		new(big.Int).Sub(new(big.Int).Lsh(one, 3072), one), // all ones, just under 2N
		new(big.Int).Lsh(one, 3071),
	}
}

func TestMontLimbsRoundTrip(t *testing.T) {
	for _, x := range append(montEdges(), randomBits(t, 3073), randomBits(t, 100), randomBits(t, 3080)) {
		l := toMontNat(x)
		checkNormalized(t, "toMontNat", l)
		if got := bigFromMontNat(l); got.Cmp(x) != 0 {
			t.Fatalf("round trip of %x gave %x", x, got)
		}
	}
}

// TestMontMul compares montMul with x*y/R mod N from math/big, for operands
// anywhere below 2N, and checks the result stays below 2N in 28-bit limbs.
func TestMontMul(t *testing.T) {
	xs := montEdges()
	twoN := new(big.Int).Lsh(bigN, 1)
	for i := 0; i < 40; i++ {
		r := randomBits(t, 3073)
		xs = append(xs, r.Mod(r, twoN))
	}
	for i, x := range xs {
		for _, y := range xs[i:] {
			checkMontMul(t, x, y)
		}
	}
}

func checkMontMul(t testing.TB, x, y *big.Int) {
	t.Helper()
	var z montNat
	montMul(&z, toMontNat(x), toMontNat(y))
	checkNormalized(t, "montMul", &z)
	got := bigFromMontNat(&z)
	if got.Cmp(new(big.Int).Lsh(bigN, 1)) >= 0 {
		t.Fatalf("montMul(%x, %x) = %x, not below 2N", x, y, got)
	}
	want := new(big.Int).Mul(x, y)
	want.Mul(want, montRInv).Mod(want, bigN)
	if new(big.Int).Mod(got, bigN).Cmp(want) != 0 {
		t.Fatalf("montMul(%x, %x) = %x, want %x mod N", x, y, got, want)
	}
}

// TestMontMulAliasing checks z = x*x and z = z*y in place, as montExp and
// the comb call it.
func TestMontMulAliasing(t *testing.T) {
	x, y := randomBits(t, 3000), randomBits(t, 3070)
	a, b := toMontNat(x), toMontNat(y)
	var sq, prod montNat
	montMul(&sq, a, a)
	montMul(&prod, a, b)
	montMul(a, a, a)
	if *a != sq {
		t.Fatal("montMul(x, x, x) differs from montMul(z, x, x)")
	}
	a = toMontNat(x)
	montMul(a, a, b)
	if *a != prod {
		t.Fatal("montMul(x, x, y) differs from montMul(z, x, y)")
	}
	a = toMontNat(x)
	montMul(b, a, b)
	if *b != prod {
		t.Fatal("montMul(y, x, y) differs from montMul(z, x, y)")
	}
}

func TestMontSelect(t *testing.T) {
	var table [1 << expWindow]montNat
	for k := range table {
		table[k] = *toMontNat(big.NewInt(int64(k*1000 + 7)))
	}
	for k := range table {
		var z montNat
		z[3] = 99 // must be overwritten
		montSelect(&z, table[:], uint(k))
		if z != table[k] {
			t.Fatalf("montSelect(%d) = %v, want %v", k, z[:2], table[k][:2])
		}
	}
}

// TestMontExpKnownAnswers computes each vector's premaster secret
// S = (B - k*g^x)^(a + u*x) with montExp, against values from outside Go.
func TestMontExpKnownAnswers(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Cases {
		B, u, x, a := mustHex(c.B), mustHex(c.U), mustHex(c.X), mustHex(c.A)
		base := new(big.Int).Mul(bigK, new(big.Int).Exp(bigG, x, bigN))
		base.Sub(B, base).Mod(base, bigN)
		e := new(big.Int).Mul(u, x)
		e.Add(e, a)
		if got := Hex(montExp(base, e)); got != c.S {
			t.Errorf("%s: montExp S = %s, want %s", c.Source, got, c.S)
		}
	}
	for _, c := range loadGExpVectors(t) {
		e, want := mustHex(c.E), mustHex(c.GExp)
		if e.BitLen() > 600 {
			continue // longer ones add a minute under -race; TestMontExpRandom has two
		}
		if got := montExp(bigG, e); got.Cmp(want) != 0 {
			t.Errorf("montExp(2, %s) = %x, want %x", c.Name, got, want)
		}
	}
}

// TestMontExpRandom compares montExp with math/big's Exp for random and
// edge bases and exponents of many lengths, below and above expMinBits, and
// one as long as N.
func TestMontExpRandom(t *testing.T) {
	one := big.NewInt(1)
	bases := []*big.Int{new(big.Int), one, big.NewInt(2), new(big.Int).Sub(bigN, one)}
	for i := 0; i < 2; i++ {
		r := randomBits(t, 3072)
		bases = append(bases, r.Mod(r, bigN))
	}
	// Every exponent under expMinBits costs a full client exponentiation, so
	// the edge bases take three lengths and the random ones the rest.
	for i, base := range bases {
		lengths := []int{2, 6, 64, 256, 512, 514, 516}
		if i < 4 {
			lengths = []int{0, 1, 513}
		}
		for _, n := range lengths {
			e := randomBits(t, n)
			want := new(big.Int).Exp(base, e, bigN)
			if got := montExp(base, e); got.Cmp(want) != 0 {
				t.Fatalf("montExp(%x, %x) = %x, want %x", base, e, got, want)
			}
		}
	}
	for _, n := range []int{1024, 3072} {
		base, e := bases[len(bases)-1], randomBits(t, n)
		if got, want := montExp(base, e), new(big.Int).Exp(base, e, bigN); got.Cmp(want) != 0 {
			t.Fatalf("montExp(%x, %x) = %x, want %x", base, e, got, want)
		}
	}
}

// TestMontExpUnreducedBase checks that bases outside [0, N), even wider than
// the limbs, are reduced first rather than truncated.
func TestMontExpUnreducedBase(t *testing.T) {
	e := randomBits(t, 300)
	for _, base := range []*big.Int{bigN, new(big.Int).Add(bigN, big.NewInt(5)), randomBits(t, 3100), randomBits(t, 6000), big.NewInt(-7)} {
		want := new(big.Int).Exp(new(big.Int).Mod(base, bigN), e, bigN)
		if got := montExp(base, e); got.Cmp(want) != 0 {
			t.Fatalf("montExp(%x, %x) = %x, want %x", base, e, got, want)
		}
	}
}

// FuzzMontExp compares montExp with math/big's Exp, and montMul with x*y/R
// mod N, on arbitrary operands.
func FuzzMontExp(f *testing.F) {
	f.Add([]byte{2}, []byte{})
	f.Add([]byte{}, []byte{1})
	f.Add(bigN.Bytes(), []byte{3})
	f.Add(new(big.Int).Sub(bigN, big.NewInt(1)).Bytes(), bytesOf(0xff, 64))
	f.Add(bytesOf(0xff, 384), bytesOf(0x80, 65))
	f.Fuzz(func(t *testing.T, b, e []byte) {
		if len(e) > 160 {
			e = e[:160] // longer exponents only slow the fuzzer down
		}
		base := new(big.Int).SetBytes(b) // montExp reduces it
		ei := new(big.Int).SetBytes(e)
		want := new(big.Int).Exp(base, ei, bigN)
		if got := montExp(base, ei); got.Cmp(want) != 0 {
			t.Fatalf("montExp(%x, %x) = %x, want %x", base, ei, got, want)
		}
		// And montMul itself on the same operands, whatever they are.
		x := new(big.Int).SetBytes(b)
		x.Mod(x, new(big.Int).Lsh(bigN, 1))
		checkMontMul(t, x, new(big.Int).Mod(ei, bigN))
	})
}

// BenchmarkMontMul is one 3072-bit Montgomery multiplication.
func BenchmarkMontMul(b *testing.B) {
	x, y := toMont(randomBits(b, 3071)), toMont(randomBits(b, 3071))
	for b.Loop() {
		montMul(x, x, y)
	}
}

// BenchmarkMontExp513 is montExp for a client-sized exponent a + u*x;
// BenchmarkExp513 is math/big's Exp for the same.
func BenchmarkMontExp513(b *testing.B) {
	base, e := randomBits(b, 3071), randomBits(b, 513)
	for b.Loop() {
		montExp(base, e)
	}
}

func BenchmarkExp513(b *testing.B) {
	base, e := randomBits(b, 3071), randomBits(b, 513)
	for b.Loop() {
		new(big.Int).Exp(base, e, bigN)
	}
}

// BenchmarkMontSelect32 is one constant-time read of montExp's 32-entry
// table; montExp does one per 5-bit window (103 for a client exponent), so
// 103 times this over BenchmarkMontExp513 is what the scan costs.
func BenchmarkMontSelect32(b *testing.B) {
	var table [1 << expWindow]montNat
	var z montNat
	for k := range table {
		table[k] = *toMont(big.NewInt(int64(k)))
	}
	for i := 0; b.Loop(); i++ {
		montSelect(&z, table[:], uint(i)&(1<<expWindow-1))
	}
}
