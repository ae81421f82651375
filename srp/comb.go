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
// combCols multiplications (54 in all for a 256-bit exponent), against about
// 1.2 modular multiplications per exponent bit for math/big's Exp. The
// multiplications are montMul's (mont.go), the table entries in Montgomery
// form. gExp (gexp_*.go) uses it only under js/wasm, where math/big has no
// assembly; native builds keep math/big's Exp. The code lives here, untagged,
// so native tests exercise it.
//
// Every entry is read with montSelect, which scans the whole table, so the
// memory touched does not depend on the secret exponent; and every exponent
// of up to 264 bits goes through the same combMin tables. The shape (h = 6,
// 64 entries per table, 4 tables for 256 bits) is the one where that costs
// least: 48% more than h = 8 with direct reads, about 0.2 ms per exponent,
// about 5% of a client's SRP work (doc.go).
const (
	combRows   = 6                      // h: bits gathered per table lookup
	combCols   = 11                     // d: squarings per exponentiation
	combSlice  = combRows * combCols    // exponent bits covered by one table
	combTables = 8                      // tables, one per slice
	combMin    = 4                      // tables every exponent goes through: 264 bits
	combBits   = combTables * combSlice // largest exponent the comb takes
	combSize   = 1 << combRows          // entries per table
	wordBits   = bits.UintSize          // bits in a big.Word
)

// combTable holds, for table k and index i, the product over the set bits j
// of i of g^(2^(k*combSlice + j*combCols)) mod N, in Montgomery form. Each
// table is built on first use (about 130 multiplications, 56 KB), so
// exponents of up to 264 bits, all this package draws, never pay for the
// other four.
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
// Which entry is used at each step depends on exponent bits; every entry is
// read (montSelect).
func (ct *combTable) exp(e *big.Int) *big.Int {
	ew := e.Bits()
	tables := max(combMin, (e.BitLen()+combSlice-1)/combSlice)
	var r, f montNat
	for c := combCols - 1; c >= 0; c-- {
		if c != combCols-1 {
			montMul(&r, &r, &r)
		}
		for k := 0; k < tables; k++ {
			idx := 0
			for j := 0; j < combRows; j++ {
				idx |= int(bit(ew, k*combSlice+j*combCols+c)) << j
			}
			montSelect(&f, ct.table(k)[:], uint(idx))
			if c == combCols-1 && k == 0 {
				r = f
				continue
			}
			montMul(&r, &r, &f)
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
