// Command sizereport prints where the bytes of the wasm module go: the
// shipped file's raw and gzip sizes, its sections, and the biggest Go
// packages by code size. Package names come from a build that keeps the
// "name" section (the shipped build strips it); the code is the same.
//
//	go run ./bench/sizereport -shipped build/dist/cognito-wasm.wasm -names named.wasm -pkgs pkgs.txt
//
// bench/size-report.sh builds both through tools/build-wasm.sh and adds
// the brotli size.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	shipped := flag.String("shipped", "", "the wasm file as shipped (stripped)")
	named := flag.String("names", "", "the same build with its name section (default: -shipped)")
	pkgList := flag.String("pkgs", "", "file listing the build's import paths, one a line (go list -deps)")
	top := flag.Int("top", 15, "how many packages to list")
	flag.Parse()
	if *shipped == "" || *pkgList == "" {
		fmt.Fprintln(os.Stderr, "usage: sizereport -shipped file.wasm -pkgs list.txt [-names unstripped.wasm] [-top n]")
		os.Exit(2)
	}
	if *named == "" {
		*named = *shipped
	}
	list, err := os.ReadFile(*pkgList)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pkgs := NewPackages(strings.Fields(string(list)))
	if err := report(os.Stdout, *shipped, *named, pkgs, *top); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func report(w io.Writer, shippedPath, namedPath string, pkgs *Packages, top int) error {
	shipped, err := os.ReadFile(shippedPath)
	if err != nil {
		return err
	}
	named, err := os.ReadFile(namedPath)
	if err != nil {
		return err
	}
	ms, err := Parse(shipped)
	if err != nil {
		return fmt.Errorf("%s: %w", shippedPath, err)
	}
	mn, err := Parse(named)
	if err != nil {
		return fmt.Errorf("%s: %w", namedPath, err)
	}
	if len(ms.Functions) != len(mn.Functions) {
		return fmt.Errorf("sizereport: %s has %d functions and %s %d: not the same build", shippedPath, len(ms.Functions), namedPath, len(mn.Functions))
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(shipped)
	zw.Close()
	fmt.Fprintf(w, "%s: %s raw, %s gzip -9\n", shippedPath, mb(len(shipped)), mb(gz.Len()))
	code := 0
	for _, f := range mn.Functions {
		code += f.Size
	}
	fmt.Fprintf(w, "sections:")
	for _, s := range ms.Sections {
		if s.Size >= 100_000 {
			fmt.Fprintf(w, " %s %s", s.Name, mb(s.Size))
		}
	}
	fmt.Fprintf(w, " (others under 0.1 MB)\n")
	fmt.Fprintf(w, "code by origin (%d functions, %s):\n", len(mn.Functions), mb(code))
	for _, s := range ByPackage(mn.Functions, pkgs, Origin) {
		fmt.Fprintf(w, "  %-44s %9s %5.1f%%\n", s.Name, mb(s.Bytes), pct(s.Bytes, code))
	}
	fmt.Fprintf(w, "biggest packages by code:\n")
	for i, s := range ByPackage(mn.Functions, pkgs, func(p string) string { return p }) {
		if i == top {
			break
		}
		fmt.Fprintf(w, "  %-60s %9s %5.1f%% %5d funcs\n", s.Name, mb(s.Bytes), pct(s.Bytes, code), s.Funcs)
	}
	return nil
}

func mb(n int) string { return fmt.Sprintf("%.2f MB", float64(n)/1e6) }

func pct(n, of int) float64 { return 100 * float64(n) / float64(of) }
