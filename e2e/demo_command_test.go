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
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-emulator-addr", "127.0.0.1:0", "-lambda-addr", "127.0.0.1:0",
		"-data", t.TempDir(), "-seed", filepath.Join("..", "demo", "seed.json"), "-dist", env.dist, "-modules", env.modules)
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
	var pageURL, passkeyURL, user, pass, carolPass string
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
			if v, ok := strings.CutPrefix(line, "Passkeys:"); ok {
				passkeyURL, _, _ = strings.Cut(strings.TrimSpace(v), " ")
			}
			if v, ok := strings.CutPrefix(line, "Demo user:"); ok {
				name, rest, _ := strings.Cut(strings.TrimSpace(v), " / ")
				var pw string
				if f := strings.Fields(rest); len(f) > 0 {
					pw = f[0]
				}
				if user == "" {
					user, pass = name, pw
				}
				if name == "carol" {
					carolPass = pw
				}
			}
			if strings.HasPrefix(line, "Press Ctrl-C") {
				break read
			}
		case <-deadline:
			t.Fatal("cognito-demo printed no 'Press Ctrl-C' line within 30s")
		}
	}
	if pageURL == "" || user == "" || pass == "" || carolPass == "" {
		t.Fatalf("cognito-demo printed page %q, user %q, password %q, carol's password %q; want all four", pageURL, user, pass, carolPass)
	}

	p := openPageAt(t, pageURL)
	if state := p.signIn(user, pass, "USER_SRP_AUTH"); state != "DONE" {
		t.Fatalf("signIn(%q) on the printed page: state = %q; want DONE (error: %s)", user, state, p.text("#error"))
	}
	if got := p.claim("#id-claims", "cognito:username"); got != user {
		t.Errorf("cognito:username = %q; want %q", got, user)
	}
	// The command started the demo's Lambda triggers and handed them to the
	// emulator: a custom challenge works with nothing else running.
	p.wantStep(p.signIn("carol", carolPass, "CUSTOM_WITH_SRP"), "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE")
	right, _ := p.sumAnswer()
	p.wantSignedInAs(p.answer(map[string]string{"answer": right}), "carol")

	// The demo pool's passkeys belong to "localhost": the command prints the
	// same page under that name, and it serves.
	if want := strings.Replace(pageURL, "127.0.0.1", "localhost", 1); passkeyURL != want {
		t.Errorf("cognito-demo printed the passkey address %q; want %q", passkeyURL, want)
	} else {
		openPageAt(t, passkeyURL)
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
