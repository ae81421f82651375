package signin

import (
	"context"
	"fmt"
	"sync"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// ephemerals keeps one SRP ephemeral (a, A = g^a) ready per client, so that
// a sign-in does not wait for g^a between submit and InitiateAuth. A new one
// is built in the background when the client is made and, through refill,
// once the sign-in that took the last one has ended: built during that
// sign-in, under wasm it would hold the page's only thread while the
// sign-in's own answer waits to be read. Each is handed out once: take
// removes it before its A can be sent, and it never comes back, whether the
// sign-in succeeds or fails.
//
// At most one build runs at a time per client: a take that finds none ready
// waits for the build under way rather than starting a second, so the
// caller's Config.Random is never read by two goroutines the caller did not
// start, and under wasm a second build would only queue behind the first at
// the Compute gate anyway.
type ephemerals struct {
	build   func(ctx context.Context) (*srp.Client, error)
	prepare bool // keep one ready ahead; false for one-call clients

	mu       sync.Mutex
	ready    *srp.Client
	building chan struct{} // non-nil while a build runs; closed when it ends
	err      error         // the last build's error, for the takers that waited on it
}

func newEphemerals(build func(ctx context.Context) (*srp.Client, error), prepare bool) *ephemerals {
	e := &ephemerals{build: build, prepare: prepare}
	if prepare {
		e.mu.Lock()
		e.start()
		e.mu.Unlock()
	}
	return e
}

// start begins a build in the background unless one is under way or one is
// ready; e.mu must be held. The build is not tied to any sign-in's context:
// its result serves the next sign-in.
func (e *ephemerals) start() {
	if e.building != nil || e.ready != nil {
		return
	}
	done := make(chan struct{})
	e.building = done
	go func() {
		sc, err := e.safeBuild()
		e.mu.Lock()
		e.ready, e.err = sc, err
		e.building = nil
		close(done)
		e.mu.Unlock()
	}()
}

// safeBuild turns a panic of the build (the srp package panics when the
// random source fails) into an error: in a goroutine of our own, a panic
// would end the program, and under wasm the page's Go runtime with it.
func (e *ephemerals) safeBuild() (sc *srp.Client, err error) {
	defer func() {
		if r := recover(); r != nil {
			sc, err = nil, fmt.Errorf("signin: preparing the SRP ephemeral: %v", r)
		}
	}()
	return e.build(context.Background())
}

// take hands out a ready ephemeral, or waits for the one being built.
// Nobody else ever gets the one returned. Its replacement is built by
// refill, which the sign-in calls when it ends.
func (e *ephemerals) take(ctx context.Context) (*srp.Client, error) {
	for {
		e.mu.Lock()
		if sc := e.ready; sc != nil {
			e.ready = nil
			e.mu.Unlock()
			return sc, nil
		}
		e.start()
		done := e.building
		e.mu.Unlock()
		select {
		case <-done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		e.mu.Lock()
		if e.ready == nil && e.building == nil && e.err != nil {
			// The build we waited for failed (another taker may have taken
			// a success in between; then we loop and build again).
			err := e.err
			e.err = nil
			e.mu.Unlock()
			return nil, err
		}
		e.mu.Unlock()
	}
}

// refill starts building the next ephemeral in the background unless one is
// ready or under way, or the client prepares none (OneShot). A sign-in
// calls it as it ends, whether it took one or not.
func (e *ephemerals) refill() {
	if !e.prepare {
		return
	}
	e.mu.Lock()
	e.start()
	e.mu.Unlock()
}
