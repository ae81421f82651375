package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	out := flag.String("out", "", "where to write the patched modules (default <user cache dir>/cognito-wasm/sdkpatch)")
	check := flag.Bool("check", false, "only check that every patch applies to the pinned versions")
	flag.Parse()
	if err := run(*out, *check); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(out string, check bool) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	ps, err := LoadPatches()
	if err != nil {
		return err
	}
	if check {
		_, err := ApplyAll(root, ps)
		return err
	}
	if out == "" {
		// Outside the source tree, which gofmt and tree-walking tests read.
		cache, err := os.UserCacheDir()
		if err != nil {
			return fmt.Errorf("sdkpatch: no cache directory for the patched modules (set -out): %w", err)
		}
		out = filepath.Join(cache, "cognito-wasm", "sdkpatch")
	}
	modfile, err := Prepare(root, out, ps)
	if err != nil {
		return err
	}
	fmt.Println(modfile)
	return nil
}

// moduleRoot is the directory of the main module's go.mod.
func moduleRoot() (string, error) {
	var env struct{ GOMOD string }
	if err := goJSON(".", &env, "env", "-json", "GOMOD"); err != nil {
		return "", err
	}
	if env.GOMOD == "" || env.GOMOD == os.DevNull || !strings.HasSuffix(env.GOMOD, "go.mod") {
		return "", fmt.Errorf("sdkpatch: not inside a Go module (go env GOMOD = %q)", env.GOMOD)
	}
	return filepath.Dir(env.GOMOD), nil
}
