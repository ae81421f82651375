// Command precompress writes FILE.br (Brotli, quality 11) and FILE.gz (gzip,
// level 9) next to each FILE, for servers and static hosts that send
// precompressed files as they are. `make build` runs it on build/dist.
package main

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/cognito-wasm/cognito-wasm/internal/precompress"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: precompress FILE...\nwrites FILE.br and FILE.gz next to each FILE")
		os.Exit(2)
	}
	start := time.Now()
	files := os.Args[1:]
	results := make([]precompress.Result, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = precompress.File(f)
		}()
	}
	wg.Wait()
	failed := false
	for i, r := range results {
		if errs[i] != nil {
			fmt.Fprintln(os.Stderr, errs[i])
			failed = true
			continue
		}
		fmt.Printf("precompress: %s %d bytes -> .br %d, .gz %d\n", r.Path, r.Size, r.Sizes["br"], r.Sizes["gzip"])
	}
	if failed {
		os.Exit(1)
	}
	fmt.Printf("precompress: %d files in %.1f s\n", len(files), time.Since(start).Seconds())
}
