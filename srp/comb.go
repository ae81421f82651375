package srp

import (
	"math/big"
	"math/bits"
	"sync"
)

// A fixed-base comb (Lim-Lee) for g^e mod N. Because g never changes, the
// powers of g that square-and-multiply would rebuild on every call are
// computed once into tables; an exponent of up to combBits bits then costs
// combCols-1 squarings and, per combSlice-bit slice of the exponent,
// combCols multiplications (47 in all for a 256-bit exponent), against about 1.2 modular multiplications per exponent
// bit for math/big's Exp. The multiplications are montMul's (mont.go), the
// table entries in Montgomery form. gExp (gexp_*.go) uses it only under
// js/wasm, where math/big has no assembly; native builds keep math/big's Exp.
// The code lives here, untagged, so native tests exercise it.
const (
	combRows   = 8                      // h: bits gathered per table lookup
	combCols   = 16                     // d: squarings per exponentiation
	combSlice  = combRows * combCols    // exponent bits covered by one table
	combTables = 4                      // tables, one per slice
	combBits   = combTables * combSlice // largest exponent the comb takes
	combSize   = 1 << combRows          // entries per table
	wordBits   = bits.UintSize          // bits in a big.Word
)

// combTable holds, for table k and index i, the product over the set bits j
// of i of g^(2^(k*combSlice + j*combCols)) mod N, in Montgomery form. Each
// table is built on first use (about 250 multiplications, 225 KB), so
// exponents of up to 256 bits, all this package draws, never pay for the
// other two.
type combTable struct {
	g      *montNat
	tables [combTables]struct {
		once  sync.Once
		entry *[combSize]montNat
		next  montNat // g^(2^((k+1)*combSlice)), the next table's base
	}
}

// newCombTable returns the comb for base g mod N.
func newCombTable(g *big.Int) *combTable {
	return &combTable{g: toMont(new(big.Int).Mod(g, bigN))}
}

// table returns table k, building it (and the tables below it) if needed.
func (ct *combTable) table(k int) *[combSize]montNat {
	tb := &ct.tables[k]
	tb.once.Do(func() {
		p := *ct.g // g^(2^(k*combSlice + j*combCols)), advancing
		if k > 0 {
			ct.table(k - 1)
			p = ct.tables[k-1].next
		}
		e := new([combSize]montNat)
		e[0] = *montOne
		for j := 0; j < combRows; j++ {
			// Entries with top bit j: the entries below 2^j times p.
			e[1<<j] = p
			for i := 1; i < 1<<j; i++ {
				montMul(&e[1<<j|i], &e[i], &p)
			}
			for s := 0; s < combCols; s++ {
				montMul(&p, &p, &p)
			}
		}
		tb.entry, tb.next = e, p
	})
	return tb.entry
}

// exp returns g^e mod N for 0 <= e < 2^combBits; the caller checks the range.
// The table entry read at each step is indexed by exponent bits: see doc.go.
func (ct *combTable) exp(e *big.Int) *big.Int {
	ew := e.Bits()
	tables := max(1, (e.BitLen()+combSlice-1)/combSlice)
	var r montNat
	for c := combCols - 1; c >= 0; c-- {
		if c != combCols-1 {
			montMul(&r, &r, &r)
		}
		for k := 0; k < tables; k++ {
			idx := 0
			for j := 0; j < combRows; j++ {
				idx |= int(bit(ew, k*combSlice+j*combCols+c)) << j
			}
			if c == combCols-1 && k == 0 {
				r = ct.table(k)[idx]
				continue
			}
			montMul(&r, &r, &ct.table(k)[idx])
		}
	}
	return fromMont(&r)
}

// bit returns bit i of the little-endian words w, 0 beyond their end.
func bit(w []big.Word, i int) big.Word {
	q := i / wordBits
	if q >= len(w) {
		return 0
	}
	return w[q] >> (i % wordBits) & 1
}
