//go:build js && wasm

package main

import (
	"sync/atomic"

	"github.com/cognito-wasm/cognito-wasm/internal/jsbridge"
)

// MaxInFlight bounds the sign-in calls (signIn, confirmSignIn, the raw
// calls) that run at once; the others wait their turn, first come first
// served, as parked goroutines that have not touched the SDK yet. A call in
// flight holds a deep stack, the SDK's buffers and its fetch, and wasm memory
// only grows: 1000 sign-ins started at once took it to 42 MB unbounded. The
// page's one thread computes one SRP step at a time anyway (jsbridge.Compute),
// so a few calls in flight keep it and the server busy. A queued call's fetch
// deadline has not started: waiting its turn cannot time it out.
const MaxInFlight = 16

var (
	inFlight = make(chan struct{}, MaxInFlight)
	// running and queued are for stats.
	running, queued atomic.Int64
)

// callQueued is jsbridge.Call whose work waits for one of MaxInFlight places.
func callQueued(prepare func() (func() (any, error), error)) any {
	return jsbridge.Call(func() (func() (any, error), error) {
		work, err := prepare()
		if err != nil {
			return nil, err
		}
		queued.Add(1)
		return func() (any, error) {
			inFlight <- struct{}{}
			queued.Add(-1)
			running.Add(1)
			defer func() {
				running.Add(-1)
				<-inFlight
			}()
			return work()
		}, nil
	})
}
