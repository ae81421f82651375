package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDemoCommand runs what `make demo` runs, the cognito-demo command, reads
// the URL and credentials it prints, and signs in on that page as a newcomer
// following the README would.
func TestDemoCommand(t *testing.T) {
	bin := filepath.Join(env.tmp, "cognito-demo")
	build := exec.Command("go", "build", "-o", bin, "./cmd/cognito-demo")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/cognito-demo: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-emulator-addr", "127.0.0.1:0",
		"-data", t.TempDir(), "-seed", filepath.Join("..", "demo", "seed.json"), "-dist", env.dist)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})

	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		exited <- cmd.Wait()
	}()
	var pageURL, user, pass string
	deadline := time.After(30 * time.Second)
read:
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("cognito-demo exited before it was ready")
			}
			if v, ok := strings.CutPrefix(line, "Demo page:"); ok {
				pageURL = strings.TrimSpace(v)
			}
			if v, ok := strings.CutPrefix(line, "Demo user:"); ok && user == "" {
				user, pass, _ = strings.Cut(strings.TrimSpace(v), " / ")
			}
			if strings.HasPrefix(line, "Press Ctrl-C") {
				break read
			}
		case <-deadline:
			t.Fatal("cognito-demo printed no 'Press Ctrl-C' line within 30s")
		}
	}
	if pageURL == "" || user == "" || pass == "" {
		t.Fatalf("cognito-demo printed page %q, user %q, password %q; want all three", pageURL, user, pass)
	}

	p := openPageAt(t, pageURL)
	if state := p.signIn(user, pass, "USER_SRP_AUTH"); state != "tokens" {
		t.Fatalf("signIn(%q) on the printed page: state = %q; want tokens (error: %s)", user, state, p.text("#error"))
	}
	if got := p.claim("#id-claims", "cognito:username"); got != user {
		t.Errorf("cognito:username = %q; want %q", got, user)
	}

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	go func() {
		for range lines {
		}
	}()
	select {
	case err := <-exited:
		exited <- err // for the cleanup
		if err != nil {
			t.Errorf("cognito-demo after Ctrl-C: %v; want a clean exit", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("cognito-demo did not stop within 10s of Ctrl-C")
	}
}
