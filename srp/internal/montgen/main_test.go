package main

import (
	"bytes"
	"math/big"
	"os"
	"testing"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// TestGeneratedFileUpToDate fails when srp/montmul_gen.go is not what the
// generator writes today: run `go generate ./srp` after changing either.
func TestGeneratedFileUpToDate(t *testing.T) {
	n, _ := new(big.Int).SetString(groupN, 16)
	if n.Cmp(srp.N()) != 0 {
		t.Fatal("montgen's groupN is not srp.N()")
	}
	want, err := generate(n)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../montmul_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("srp/montmul_gen.go is stale: run `go generate ./srp`")
	}
}

// TestGenerateRefusesBadModulus checks the generator's guard: an even
// modulus has no Montgomery form, and one too wide breaks R > 4N.
func TestGenerateRefusesBadModulus(t *testing.T) {
	for _, n := range []string{"10", "1" + string(bytes.Repeat([]byte("0"), 770)) + "1"} {
		v, ok := new(big.Int).SetString(n, 16)
		if !ok {
			t.Fatal("bad test constant")
		}
		if _, err := generate(v); err == nil {
			t.Errorf("generate(%s...) succeeded, want an error", n[:2])
		}
	}
}
