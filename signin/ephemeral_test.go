//go:build !(js && wasm)

package signin

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// blockReader yields ephemerals that tests can predict: block i (from 0) is
// EphemeralBytes bytes of value i+1. It counts the bytes read and is safe
// for concurrent use. After limit blocks (0: no limit) it fails.
type blockReader struct {
	mu    sync.Mutex
	n     int // bytes read
	limit int
}

func (r *blockReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range p {
		if r.limit > 0 && r.n >= r.limit*srp.EphemeralBytes {
			return i, errors.New("blockReader: out of blocks")
		}
		p[i] = byte(r.n/srp.EphemeralBytes + 1)
		r.n++
	}
	return len(p), nil
}

func (r *blockReader) blocks() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n / srp.EphemeralBytes
}

// blockA is the A that block i gives.
func blockA(t *testing.T, i int) string {
	t.Helper()
	r := &blockReader{n: i * srp.EphemeralBytes}
	sc, err := srp.NewClient(srp.WithRandom(r))
	if err != nil {
		t.Fatal(err)
	}
	return sc.A()
}

// waitFor polls cond until it holds, failing the test after a generous bound
// (a wait, not a timing assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
	}
}

var srpAPattern = regexp.MustCompile(`"SRP_A":"([0-9a-f]+)"`)

// sentAs lists the SRP_A of every InitiateAuth sent.
func sentAs(tr *inProcess) []string {
	var as []string
	for _, s := range tr.Sent() {
		if m := srpAPattern.FindStringSubmatch(s.Body); s.Target == "InitiateAuth" && m != nil {
			as = append(as, m[1])
		}
	}
	return as
}

// TestEphemeralPreparedAhead: a new client builds its first ephemeral in the
// background, through Config.Compute, before any sign-in; the sign-in sends
// that one, and its replacement is built after the use and sent next.
func TestEphemeralPreparedAhead(t *testing.T) {
	em := newEmulator(t)
	tr := &inProcess{em: em}
	rnd := &blockReader{}
	var computed atomic.Int32
	c, err := New(Config{UserPoolID: emuAliasPool, ClientID: emuPublic, Endpoint: emuEndpoint, HTTPClient: tr, Random: rnd,
		Compute: func(_ context.Context, work func()) error { computed.Add(1); work(); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first ephemeral built after New", func() bool { return rnd.blocks() == 1 })
	if n := computed.Load(); n != 1 {
		t.Errorf("Compute ran %d times before any sign-in; want 1 (the ephemeral built in the background)", n)
	}
	if len(tr.Sent()) != 0 {
		t.Fatalf("New sent requests: %+v", tr.Sent())
	}
	for i := 0; i < 2; i++ {
		if res, err := c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice"}); err != nil || !res.IsSignedIn {
			t.Fatalf("SignIn %d = %+v, %v", i+1, res, err)
		}
		if as := sentAs(tr); len(as) != i+1 || as[i] != blockA(t, i) {
			t.Fatalf("sign-in %d sent SRP_A from another ephemeral than the one prepared (block %d)", i+1, i)
		}
		waitFor(t, "the replacement ephemeral built after the use", func() bool { return rnd.blocks() == i+2 })
	}
	if got := rnd.blocks(); got != 3 {
		t.Errorf("%d ephemerals drawn for 2 sign-ins; want 3 (one kept ready)", got)
	}
}

// TestReplacementWaitsForTheSignIn: the ephemeral that replaces the one a
// sign-in took is not built while that sign-in still talks to the server
// (under wasm the build would hold the thread its answers are read on), and
// is built once the sign-in has ended.
func TestReplacementWaitsForTheSignIn(t *testing.T) {
	em := newEmulator(t)
	rnd := &blockReader{}
	var early atomic.Int32
	tr := &inProcess{em: em, before: func(target string, n int) error {
		// Give a replacement started at take time every chance to draw.
		for start := time.Now(); time.Since(start) < 200*time.Millisecond; time.Sleep(5 * time.Millisecond) {
			if rnd.blocks() > 1 {
				early.Add(1)
				break
			}
		}
		return nil
	}}
	c, err := New(Config{UserPoolID: emuAliasPool, ClientID: emuPublic, Endpoint: emuEndpoint, HTTPClient: tr, Random: rnd})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first ephemeral built after New", func() bool { return rnd.blocks() == 1 })
	if res, err := c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice"}); err != nil || !res.IsSignedIn {
		t.Fatalf("SignIn = %+v, %v", res, err)
	}
	if n := early.Load(); n != 0 {
		t.Errorf("the replacement ephemeral was drawn while %d of the sign-in's requests were in flight; want after the sign-in", n)
	}
	waitFor(t, "the replacement ephemeral built after the sign-in", func() bool { return rnd.blocks() == 2 })
}

// TestNoEphemeralSentTwice signs in many times, one after another and
// concurrently, with failed sign-ins among them, and checks that every
// InitiateAuth carried a different SRP_A: a used ephemeral, failed or not,
// never goes back to the pool.
func TestNoEphemeralSentTwice(t *testing.T) {
	em := newEmulator(t)
	tr := &inProcess{em: em}
	c, err := New(Config{UserPoolID: emuAliasPool, ClientID: emuPublic, Endpoint: emuEndpoint, HTTPClient: tr})
	if err != nil {
		t.Fatal(err)
	}
	good := SignInInput{Username: "alice", Password: "Passw0rd!Alice"}
	bad := SignInInput{Username: "alice", Password: "not-her-password"}
	// A failed sign-in, then the next: the failed one's A must not come back.
	for i := 0; i < 2; i++ {
		if _, err := c.SignIn(ctxT(t), bad); err == nil {
			t.Fatal("SignIn with a wrong password succeeded")
		}
		if res, err := c.SignIn(ctxT(t), good); err != nil || !res.IsSignedIn {
			t.Fatalf("SignIn after a failed one = %+v, %v", res, err)
		}
		if as := sentAs(tr); as[len(as)-1] == as[len(as)-2] {
			t.Fatal("the sign-in after a failed one sent the failed one's SRP_A again")
		}
	}
	for i := 0; i < 4; i++ {
		if res, err := c.SignIn(ctxT(t), good); err != nil || !res.IsSignedIn {
			t.Fatalf("sequential SignIn %d = %+v, %v", i+1, res, err)
		}
	}
	const workers, each = 4, 4
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				res, err := c.SignIn(ctxT(t), good)
				if err == nil && !res.IsSignedIn {
					err = errors.New("not signed in: " + res.NextStep.SignInStep)
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent SignIn: %v", err)
	}
	as := sentAs(tr)
	if want := 2*2 + 4 + workers*each; len(as) != want {
		t.Fatalf("%d InitiateAuth requests carried SRP_A; want %d", len(as), want)
	}
	seen := map[string]int{}
	for i, a := range as {
		if j, dup := seen[a]; dup {
			t.Errorf("InitiateAuth %d sent the SRP_A of InitiateAuth %d again", i+1, j+1)
		}
		seen[a] = i
	}
}

// TestEphemeralBuildFailure: when the random source fails while an
// ephemeral is built in the background, nothing crashes and the next sign-in
// reports the failure instead of sending anything.
func TestEphemeralBuildFailure(t *testing.T) {
	em := newEmulator(t)
	tr := &inProcess{em: em}
	rnd := &blockReader{limit: 1}
	c, err := New(Config{UserPoolID: emuAliasPool, ClientID: emuPublic, Endpoint: emuEndpoint, HTTPClient: tr, Random: rnd})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice"}); err != nil || !res.IsSignedIn {
		t.Fatalf("SignIn with the one ephemeral there is = %+v, %v", res, err)
	}
	sent := len(tr.Sent())
	_, err = c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice"})
	if err == nil || !strings.Contains(err.Error(), "random source failed") {
		t.Fatalf("SignIn with the random source failing = %v; want an error saying so", err)
	}
	if len(tr.Sent()) != sent {
		t.Errorf("a sign-in without an ephemeral sent %d requests", len(tr.Sent())-sent)
	}
}

// TestEphemeralTakeHonoursContext: a sign-in waiting for an ephemeral whose
// build cannot finish gives up when its context ends.
func TestEphemeralTakeHonoursContext(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	e := newEphemerals(func(context.Context) (*srp.Client, error) {
		<-release
		return nil, errors.New("never used")
	}, true)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if sc, err := e.take(ctx); !errors.Is(err, context.Canceled) || sc != nil {
		t.Errorf("take with an ended context = %v, %v; want context.Canceled", sc, err)
	}
}

// TestBackgroundGatesTheBuild: a background build computes nothing until
// Config.Background returns (under wasm: one turn of the event loop, so the
// call that made the client settles first), and a sign-in still gets its
// ephemeral once it does.
func TestBackgroundGatesTheBuild(t *testing.T) {
	em := newEmulator(t)
	tr := &inProcess{em: em}
	rnd := &blockReader{}
	gate := make(chan struct{})
	var waited atomic.Int32
	c, err := New(Config{UserPoolID: emuAliasPool, ClientID: emuPublic, Endpoint: emuEndpoint, HTTPClient: tr, Random: rnd,
		Background: func(ctx context.Context) error {
			waited.Add(1)
			select {
			case <-gate:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the background build waiting on Config.Background", func() bool { return waited.Load() == 1 })
	time.Sleep(50 * time.Millisecond) // room for a build that ignored the gate to draw its randomness
	if n := rnd.blocks(); n != 0 {
		t.Fatalf("%d ephemerals drawn before Config.Background returned; want 0", n)
	}
	close(gate)
	if res, err := c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice"}); err != nil || !res.IsSignedIn {
		t.Fatalf("SignIn = %+v, %v", res, err)
	}
	if as := sentAs(tr); len(as) != 1 || as[0] != blockA(t, 0) {
		t.Fatalf("the sign-in did not send the ephemeral built after the gate")
	}
}

// TestBackgroundErrorIsTheBuildsError: when Config.Background fails, the
// sign-in waiting for that build gets the error, and nothing is sent.
func TestBackgroundErrorIsTheBuildsError(t *testing.T) {
	em := newEmulator(t)
	tr := &inProcess{em: em}
	c, err := New(Config{UserPoolID: emuAliasPool, ClientID: emuPublic, Endpoint: emuEndpoint, HTTPClient: tr,
		Background: func(context.Context) error { return errors.New("no turn for you") }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice"}); err == nil || !strings.Contains(err.Error(), "no turn for you") {
		t.Fatalf("SignIn = %v; want the Background error", err)
	}
	if len(tr.Sent()) != 0 {
		t.Errorf("a sign-in without an ephemeral sent %d requests", len(tr.Sent()))
	}
}
