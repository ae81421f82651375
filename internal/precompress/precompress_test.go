package precompress

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sample is compressible text with a random tail, so a codec that drops or
// reorders bytes cannot round-trip it by accident.
func sample(t *testing.T) []byte {
	t.Helper()
	tail := make([]byte, 4096)
	if _, err := rand.Read(tail); err != nil {
		t.Fatal(err)
	}
	return append(bytes.Repeat([]byte("\x00asm\x01\x00\x00\x00 cognito-wasm "), 2000), tail...)
}

func TestEncodeDecode(t *testing.T) {
	data := sample(t)
	for _, enc := range Encodings {
		t.Run(enc.Name, func(t *testing.T) {
			out, err := Encode(enc.Name, data)
			if err != nil {
				t.Fatal(err)
			}
			if len(out) >= len(data) {
				t.Errorf("Encode(%q) = %d bytes from %d; want smaller", enc.Name, len(out), len(data))
			}
			back, err := Decode(enc.Name, out, 0)
			if err != nil || !bytes.Equal(back, data) {
				t.Errorf("Decode(%q, Encode(data)) = %d bytes, %v; want the %d original bytes", enc.Name, len(back), err, len(data))
			}
			if _, err := Decode(enc.Name, out, int64(len(data)-1)); err == nil || !strings.Contains(err.Error(), "exceeds") {
				t.Errorf("Decode(%q) with a limit below the size = %v; want an error saying it exceeds", enc.Name, err)
			}
			if _, err := Decode(enc.Name, out[:len(out)/2], 0); err == nil {
				t.Errorf("Decode(%q, truncated) = nil error; want an error", enc.Name)
			}
		})
	}
	if _, err := Encode("zstd", data); err == nil || !strings.Contains(err.Error(), `"zstd"`) {
		t.Errorf(`Encode("zstd") = %v; want an error naming the encoding`, err)
	}
	if _, err := Decode("zstd", data, 0); err == nil {
		t.Error(`Decode("zstd") = nil error; want an error`)
	}
}

func TestFile(t *testing.T) {
	data := sample(t)
	path := filepath.Join(t.TempDir(), "cognito-wasm.wasm")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := File(path)
	if err != nil {
		t.Fatalf("File(%q) = %v", path, err)
	}
	if res.Size != len(data) {
		t.Errorf("File(%q).Size = %d; want %d", path, res.Size, len(data))
	}
	for _, enc := range Encodings {
		out, err := os.ReadFile(path + enc.Suffix)
		if err != nil {
			t.Fatalf("File(%q) did not write %s: %v", path, enc.Suffix, err)
		}
		if res.Sizes[enc.Name] != len(out) {
			t.Errorf("File(%q).Sizes[%q] = %d; want %d, the file's size", path, enc.Name, res.Sizes[enc.Name], len(out))
		}
		if back, err := Decode(enc.Name, out, 0); err != nil || !bytes.Equal(back, data) {
			t.Errorf("%s%s decodes to %d bytes, %v; want the original %d", path, enc.Suffix, len(back), err, len(data))
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 3 {
		t.Errorf("File left %d files behind; want the original, .br and .gz (no temporaries)", len(entries))
	}
	if _, err := File(filepath.Join(t.TempDir(), "missing.wasm")); err == nil {
		t.Error("File(missing) = nil error; want an error")
	}
}
