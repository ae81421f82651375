//go:build js && wasm

package jsbridge

import (
	"context"
	"syscall/js"
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

// Compute runs CPU-heavy work (SRP's modular exponentiations) one call at a
// time, then lets the JavaScript event loop turn before the next may start.
// Go on wasm shares the page's only thread and returns to JavaScript only
// when every goroutine is blocked; a thousand sign-ins computing back to
// back would hold it for many seconds, so answers that had arrived went
// unread and timers fired late. Holding the token while awaiting the yield
// blocks every other computation, so Go hands the thread back.
func Compute(ctx context.Context, work func()) error {
	select {
	case computeToken <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-computeToken }()
	work()
	_, err := Await(ctx, yieldNow.Invoke())
	return err
}
