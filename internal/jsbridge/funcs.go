//go:build js && wasm

package jsbridge

import (
	"sync/atomic"
	"syscall/js"
	"time"
)

// liveFuncs counts the js.Funcs made through FuncOf and not yet released,
// so that a leak (a callback never released) shows in Stats.
var liveFuncs atomic.Int64

// FuncOf is js.FuncOf, counted: every js.Func the module makes goes through
// here and, unless it lives as long as the program, through Release. Each
// call notes the time: JavaScript has just had the thread (see Compute).
func FuncOf(fn func(this js.Value, args []js.Value) any) js.Func {
	liveFuncs.Add(1)
	return js.FuncOf(func(this js.Value, args []js.Value) any {
		lastJS.Store(int64(time.Since(epoch)))
		return fn(this, args)
	})
}

// epoch and lastJS: when JavaScript last called into Go, as time since epoch.
var (
	epoch  = time.Now()
	lastJS atomic.Int64
)

// heldFor is how long Go has held the thread since JavaScript last called
// in (Go returns to JavaScript only when every goroutine is blocked, and
// JavaScript calls back in through a js.Func).
func heldFor() time.Duration { return time.Since(epoch) - time.Duration(lastJS.Load()) }

// Release releases f, made by FuncOf, and uncounts it. Call it once per f.
func Release(f js.Func) {
	f.Release()
	liveFuncs.Add(-1)
}

// LiveFuncs is the number of js.Funcs made through FuncOf and not released:
// the namespace's own functions (a fixed number) plus one per Promise
// being awaited by Await.
func LiveFuncs() int64 { return liveFuncs.Load() }
