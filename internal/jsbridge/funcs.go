//go:build js && wasm

package jsbridge

import (
	"sync/atomic"
	"syscall/js"
)

// liveFuncs counts the js.Funcs made through FuncOf and not yet released,
// so that a leak (a callback never released) shows in Stats.
var liveFuncs atomic.Int64

// FuncOf is js.FuncOf, counted: every js.Func the module makes goes through
// here and, unless it lives as long as the program, through Release.
func FuncOf(fn func(this js.Value, args []js.Value) any) js.Func {
	liveFuncs.Add(1)
	return js.FuncOf(fn)
}

// Release releases f, made by FuncOf, and uncounts it. Call it once per f.
func Release(f js.Func) {
	f.Release()
	liveFuncs.Add(-1)
}

// LiveFuncs is the number of js.Funcs made through FuncOf and not released:
// the namespace's own functions (a fixed number) plus one per Promise
// being awaited by Await.
func LiveFuncs() int64 { return liveFuncs.Load() }
