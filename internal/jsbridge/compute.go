//go:build js && wasm

package jsbridge

import (
	"context"
	"sync"
	"sync/atomic"
	"syscall/js"
	"time"
)

// yieldTurn blocks until the JavaScript event loop has turned once, after
// pending I/O: setImmediate in Node (its check phase follows the poll
// phase), a MessageChannel message in browsers (not clamped like nested
// setTimeout), else setTimeout(0). Each calls one permanent js.Func that
// wakes the oldest waiter; no JavaScript source is evaluated.
func yieldTurn(ctx context.Context) error {
	ch := make(chan struct{})
	yielding.Lock()
	yielding.waiters = append(yielding.waiters, ch)
	yielding.Unlock()
	postTurn()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err() // the wake-up, when it comes, finds nobody
	}
}

// Yield blocks until the JavaScript event loop has turned once (see
// yieldTurn): for work that should start only after the call in progress has
// settled and its promise callbacks have run.
func Yield(ctx context.Context) error { return yieldTurn(ctx) }

var (
	yielding struct {
		sync.Mutex
		waiters []chan struct{}
	}
	wakeOldest = FuncOf(func(js.Value, []js.Value) any {
		yielding.Lock()
		defer yielding.Unlock()
		if len(yielding.waiters) > 0 {
			close(yielding.waiters[0])
			yielding.waiters = yielding.waiters[1:]
		}
		return nil
	})
	postTurn = func() func() {
		g := js.Global()
		if si := g.Get("setImmediate"); si.Type() == js.TypeFunction {
			return func() { si.Invoke(wakeOldest) }
		}
		if mc := g.Get("MessageChannel"); mc.Type() == js.TypeFunction {
			ch := mc.New()
			ch.Get("port1").Set("onmessage", wakeOldest)
			port := ch.Get("port2")
			return func() { port.Call("postMessage", 0) }
		}
		st := g.Get("setTimeout")
		return func() { st.Invoke(wakeOldest, 0) }
	}()
)

// computeToken lets one computation run at a time.
var computeToken = make(chan struct{}, 1)

// computeYields counts the turns Compute handed to JavaScript (for tests).
var computeYields atomic.Int64

// ComputeSlice is how long Go may hold the thread, computing, before Compute
// hands it to JavaScript for a turn of the event loop.
const ComputeSlice = 20 * time.Millisecond

// computeSlice is ComputeSlice; tests change it.
var computeSlice = ComputeSlice

// Compute runs CPU-heavy work (SRP's modular exponentiations) one call at a
// time and, once the thread has been Go's for ComputeSlice since JavaScript
// last ran, lets the JavaScript event loop turn before the next may start.
// Go on wasm shares the page's only thread and returns to JavaScript only
// when every goroutine is blocked; a thousand sign-ins computing back to
// back would hold it for many seconds, so answers that had arrived went
// unread and timers fired late. Holding the token while awaiting the yield
// blocks every other computation, so Go hands the thread back. A single
// sign-in's computation, shorter than the slice, costs no extra turn: its
// goroutine goes on to send its answer at once.
func Compute(ctx context.Context, work func()) error {
	select {
	case computeToken <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-computeToken }()
	work()
	if heldFor() < computeSlice {
		return nil
	}
	computeYields.Add(1)
	return yieldTurn(ctx)
}
