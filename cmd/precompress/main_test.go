package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognito-wasm/cognito-wasm/internal/precompress"
)

// TestCommand runs the built command as make build does: it writes a .br and
// a .gz that decode to each file, and fails with a usage line when given none
// and with the file's name when one is missing.
func TestCommand(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "precompress")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	files := map[string][]byte{
		"cognito-wasm.wasm": append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("module "), 500)...),
		"wasm_exec.js":      bytes.Repeat([]byte("globalThis.Go = class {};\n"), 50),
	}
	var args []string
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("precompress %v: %v\n%s", args, err, out)
	}
	for name, data := range files {
		for _, enc := range precompress.Encodings {
			b, err := os.ReadFile(filepath.Join(dir, name+enc.Suffix))
			if err != nil {
				t.Fatalf("precompress did not write %s%s: %v", name, enc.Suffix, err)
			}
			if back, err := precompress.Decode(enc.Name, b, 0); err != nil || !bytes.Equal(back, data) {
				t.Errorf("%s%s decodes to %d bytes, %v; want the original %d", name, enc.Suffix, len(back), err, len(data))
			}
		}
	}

	cmd := exec.Command(bin)
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 2 || !strings.Contains(string(out), "usage") {
		t.Errorf("precompress with no files: %v, %q; want exit status 2 and a usage line", err, out)
	}
	missing := filepath.Join(dir, "missing.wasm")
	out, err = exec.Command(bin, missing).CombinedOutput()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 1 || !strings.Contains(string(out), missing) {
		t.Errorf("precompress %s: %v, %q; want exit status 1 naming the file", missing, err, out)
	}
}
