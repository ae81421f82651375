package main

import (
	"bytes"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognito-wasm/cognito-wasm/emulator"
)

// TestStoreInUse runs the built command on a data folder that another
// emulator holds: whether a port of a running demo is taken first (a second
// `make demo`) or not, it says the store is in use, naming the folder.
func TestStoreInUse(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "cognito-demo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := t.TempDir()
	holder, err := emulator.New(emulator.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	for name, lambdaAddr := range map[string]string{"lambda port free": "127.0.0.1:0", "lambda port taken": busy.Addr().String()} {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-emulator-addr", "127.0.0.1:0", "-lambda-addr", lambdaAddr,
				"-data", data, "-seed", "../../demo/seed.json", "-dist", t.TempDir(), "-modules", t.TempDir())
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 1 {
				t.Fatalf("cognito-demo on a held folder: %v; want exit status 1 (stderr: %s)", err, stderr.String())
			}
			msg := stderr.String()
			for _, want := range []string{"data folder " + data + " is in use by another emulator", "stop that one", "another -data folder"} {
				if !strings.Contains(msg, want) {
					t.Errorf("stderr = %q; want it to say %q", msg, want)
				}
			}
			if strings.Contains(msg, "timeout") || stdout.Len() != 0 {
				t.Errorf("stderr = %q, stdout = %q; want no bare timeout and nothing on stdout", msg, stdout.String())
			}
		})
	}
}

// TestPasskeyPageURL: the localhost address is printed for a loopback page
// when a pool's passkeys belong to "localhost", and only then.
func TestPasskeyPageURL(t *testing.T) {
	seed, err := emulator.LoadSeed("../../demo/seed.json")
	if err != nil {
		t.Fatal(err)
	}
	loop := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}
	if got := passkeyPageURL(seed, loop); got != "http://localhost:8080/" {
		t.Errorf("passkeyPageURL(demo seed, 127.0.0.1:8080) = %q; want http://localhost:8080/", got)
	}
	if got := passkeyPageURL(seed, &net.TCPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 8080}); got != "" {
		t.Errorf("passkeyPageURL(demo seed, 192.0.2.7:8080) = %q; want none (not this machine's loopback)", got)
	}
	if got := passkeyPageURL(emulator.Seed{UserPools: []emulator.SeedPool{{ID: "us-east-1_x"}}}, loop); got != "" {
		t.Errorf("passkeyPageURL(no passkey pool) = %q; want none", got)
	}
}
