// Command srpnative times the client's SRP work for one sign-in natively
// (A = g^a, u, x, S, HKDF key: srp.NewClient then SessionKey, as
// bench/srpwasm's client call does in wasm) and prints one JSON line,
// {"ms": median, "n": runs}, for `make bench` to set beside the wasm figure.
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"flag"
	"log"
	"os"
	"slices"
	"time"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

func main() {
	n := flag.Int("n", 20, "timed runs")
	warmup := flag.Int("warmup", 3, "untimed runs first")
	flag.Parse()
	if *n < 1 || *warmup < 0 {
		log.Fatal("srpnative: -n must be at least 1 and -warmup at least 0")
	}
	const pool, user, password = "cwDemo001", "7d1b2c9e-5f0a-4a8e-9b1e-3c2d4e5f6a7b", "Passw0rd!Démo-🔑"
	var times []float64
	for i := 0; i < *warmup+*n; i++ {
		// A server answer for a fresh a, made outside the timing.
		a := make([]byte, srp.EphemeralBytes)
		rand.Read(a)
		probe, err := srp.NewClient(srp.WithRandom(bytes.NewReader(a)))
		if err != nil {
			log.Fatal(err)
		}
		v, err := srp.NewVerifier(pool, user, password)
		if err != nil {
			log.Fatal(err)
		}
		srv, err := srp.NewServer(v, probe.A())
		if err != nil {
			log.Fatal(err)
		}
		salt := srp.Hex(v.Salt)

		t0 := time.Now()
		c, err := srp.NewClient(srp.WithRandom(bytes.NewReader(a)))
		if err != nil {
			log.Fatal(err)
		}
		key, err := c.SessionKey(pool, user, password, salt, srv.B())
		dt := time.Since(t0)
		if err != nil {
			log.Fatal(err)
		}
		if !bytes.Equal(key, srv.Key()) {
			log.Fatalf("srpnative: client key %x != server key %x", key, srv.Key())
		}
		if i >= *warmup {
			times = append(times, float64(dt.Nanoseconds())/1e6)
		}
	}
	slices.Sort(times)
	med := times[len(times)/2]
	if len(times)%2 == 0 {
		med = (times[len(times)/2-1] + times[len(times)/2]) / 2
	}
	if err := json.NewEncoder(os.Stdout).Encode(map[string]any{"ms": med, "n": *n}); err != nil {
		log.Fatal(err)
	}
}
