package emulator

import (
	"errors"
	"strings"
	"testing"
)

// TestStoreInUse: a second emulator on a data folder another one holds gets
// an error that names the folder and says what to do, not bbolt's "timeout".
func TestStoreInUse(t *testing.T) {
	dir := t.TempDir()
	first, err := New(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(Config{DataDir: dir})
	var inUse *StoreInUseError
	if !errors.As(err, &inUse) || inUse.Dir != dir {
		t.Fatalf("second New on %s = %v; want *StoreInUseError naming the folder", dir, err)
	}
	if msg := err.Error(); !strings.Contains(msg, dir) || !strings.Contains(msg, "in use by another emulator") || strings.Contains(msg, "timeout") {
		t.Errorf("error = %q; want the folder, \"in use by another emulator\", and no bare timeout", msg)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := New(Config{DataDir: dir})
	if err != nil {
		t.Fatalf("New after the first emulator closed = %v; want the store free again", err)
	}
	again.Close()
}
