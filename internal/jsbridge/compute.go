//go:build js && wasm

package jsbridge

import (
	"context"
	"sync/atomic"
	"syscall/js"
	"time"
)

// yieldNow returns a Promise settled on the event loop's next turn, after
// pending I/O: setImmediate in Node (its check phase follows the poll
// phase), a MessageChannel message in browsers (not clamped like nested
// setTimeout), else setTimeout(0).
var yieldNow = js.Global().Get("Function").New(`
	if (typeof setImmediate === "function") return () => new Promise((r) => setImmediate(r));
	if (typeof MessageChannel === "function") {
		const ch = new MessageChannel();
		const waiting = [];
		ch.port1.onmessage = () => { const r = waiting.shift(); if (r) r(); };
		return () => new Promise((r) => { waiting.push(r); ch.port2.postMessage(0); });
	}
	return () => new Promise((r) => setTimeout(r, 0));`).Invoke()

// computeToken lets one computation run at a time.
var computeToken = make(chan struct{}, 1)

// computeYields counts the turns Compute handed to JavaScript (for tests).
var computeYields atomic.Int64

// ComputeSlice is how long Go may hold the thread, computing, before Compute
// hands it to JavaScript for a turn of the event loop.
const ComputeSlice = 20 * time.Millisecond

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
	if heldFor() < ComputeSlice {
		return nil
	}
	computeYields.Add(1)
	_, err := Await(ctx, yieldNow.Invoke())
	return err
}
