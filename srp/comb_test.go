package srp

import (
	"crypto/rand"
	"encoding/json"
	"math/big"
	"os"
	"sync"
	"testing"
)

var (
	testCombOnce sync.Once
	testCombG    *combTable
)

// testComb is the comb for Cognito's g and N, built once for all tests; the
// tests call it directly so that native runs check the comb too.
func testComb() *combTable {
	testCombOnce.Do(func() { testCombG = newCombTable(bigG) })
	return testCombG
}

type gExpVector struct {
	Name, E, GExp string
}

func loadGExpVectors(t testing.TB) []gExpVector {
	raw, err := os.ReadFile("testdata/gexp-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Cases []gExpVector }
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Cases) < 30 {
		t.Fatalf("gexp-vectors.json has %d cases, want at least 30", len(v.Cases))
	}
	return v.Cases
}

// TestGExpKnownAnswers checks gExp (the comb under js/wasm, math/big natively)
// and the comb itself against values computed outside Go.
func TestGExpKnownAnswers(t *testing.T) {
	combed := 0
	for _, c := range loadGExpVectors(t) {
		e, want := mustHex(c.E), mustHex(c.GExp)
		if got := gExp(e); got.Cmp(want) != 0 {
			t.Errorf("gExp(%s) = %x, want %x", c.Name, got, want)
		}
		if e.BitLen() > combBits {
			continue
		}
		combed++
		if got := testComb().exp(e); got.Cmp(want) != 0 {
			t.Errorf("comb exp(%s) = %x, want %x", c.Name, got, want)
		}
	}
	if combed < 20 {
		t.Errorf("only %d vectors fit the comb, want at least 20", combed)
	}
}

// TestCombRandom compares the comb with math/big's Exp on random exponents of
// every length the comb takes, and gExp on some beyond it.
func TestCombRandom(t *testing.T) {
	ct := testComb()
	lengths := []int{1, 2, 9, 10, 11, 12, 31, 32, 33, 65, 66, 67, 200, 255, 256, 257, 263, 264, 265, 300, 400, 512, 527, 528}
	for _, n := range lengths {
		for i := 0; i < 2; i++ {
			e := randomBits(t, n)
			want := new(big.Int).Exp(bigG, e, bigN)
			if got := ct.exp(e); got.Cmp(want) != 0 {
				t.Fatalf("comb exp(%x) (%d bits) = %x, want %x", e, n, got, want)
			}
		}
	}
	for _, n := range []int{256, 528, 529, 1024, 2000} {
		e := randomBits(t, n)
		if got, want := gExp(e), new(big.Int).Exp(bigG, e, bigN); got.Cmp(want) != 0 {
			t.Fatalf("gExp(%x) (%d bits) = %x, want %x", e, n, got, want)
		}
	}
}

// TestCombOtherBase builds the comb for bases other than 2, so that a table
// entry wrongly assumed to be a power of 2 would show.
func TestCombOtherBase(t *testing.T) {
	for _, g := range []*big.Int{big.NewInt(7), new(big.Int).Sub(bigN, big.NewInt(1)), randomBits(t, 3071)} {
		ct := newCombTable(g)
		for _, n := range []int{0, 1, 5, 64, 255, 256, 300, 528} {
			e := randomBits(t, n)
			if got, want := ct.exp(e), new(big.Int).Exp(g, e, bigN); got.Cmp(want) != 0 {
				t.Fatalf("%x^%x mod N = %x, want %x", g, e, got, want)
			}
		}
	}
}

// randomBits returns a random integer of exactly n bits (0 for n = 0).
func randomBits(t testing.TB, n int) *big.Int {
	if n == 0 {
		return new(big.Int)
	}
	e, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), uint(n-1)))
	if err != nil {
		t.Fatal(err)
	}
	return e.SetBit(e, n-1, 1)
}

// FuzzCombExp compares the comb with math/big's Exp on arbitrary exponents.
func FuzzCombExp(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1})
	f.Add([]byte{0x80, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Add(make([]byte, combBits/8))
	f.Add(bytesOf(0xff, combBits/8))
	f.Add(bytesOf(0xff, combBits/8+1))
	f.Fuzz(func(t *testing.T, b []byte) {
		e := new(big.Int).SetBytes(b)
		want := new(big.Int).Exp(bigG, e, bigN)
		if got := gExp(e); got.Cmp(want) != 0 {
			t.Fatalf("gExp(%x) = %x, want %x", e, got, want)
		}
		if e.BitLen() > combBits {
			return
		}
		if got := testComb().exp(e); got.Cmp(want) != 0 {
			t.Fatalf("comb exp(%x) = %x, want %x", e, got, want)
		}
	})
}

func bytesOf(c byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return b
}

// BenchmarkGExp is g^a for a 256-bit a as this package draws it: the comb
// under js/wasm, math/big's Exp natively.
func BenchmarkGExp(b *testing.B) {
	e := randomBits(b, 256)
	gExp(e) // build the table outside the timing
	for b.Loop() {
		gExp(e)
	}
}

// BenchmarkCombExp256 and BenchmarkCombExp512 time the comb itself, on any
// platform, for our 256-bit ephemerals and for the longest it takes.
func BenchmarkCombExp256(b *testing.B) { benchComb(b, 256) }
func BenchmarkCombExp512(b *testing.B) { benchComb(b, 512) }

func benchComb(b *testing.B, n int) {
	ct, e := testComb(), randomBits(b, n)
	for b.Loop() {
		ct.exp(e)
	}
}

// BenchmarkExp256 is math/big's Exp for the same 256-bit exponent.
func BenchmarkExp256(b *testing.B) {
	e := randomBits(b, 256)
	for b.Loop() {
		new(big.Int).Exp(bigG, e, bigN)
	}
}

// BenchmarkCombTable0 is building the first table, which gExp does once
// (the other three only for exponents over 256 bits).
func BenchmarkCombTable0(b *testing.B) {
	for b.Loop() {
		newCombTable(bigG).table(0)
	}
}
