//go:build js && wasm

package main

import (
	"runtime"
	"syscall/js"

	"github.com/cognito-wasm/cognito-wasm/internal/jsbridge"
)

// stats is cognitoWasm.stats({gc}): a diagnostic snapshot for benches and
// leak hunts, not an API to build on (its fields may change). It answers at
// once, without a Promise, so that reading it adds no goroutine nor js.Func.
// With {gc: true} it collects garbage first, so heap figures are live data.
// The wasm memory's own size is the page's to read (the instance's
// exports.mem); it only grows, and sys is the part the Go runtime took.
func stats(_ js.Value, args []js.Value) any {
	// jsbridge.Get survives a throwing getter (a Proxy): then no gc.
	if o := arg(args, 0); jsbridge.Object(o, "options") == nil {
		if v, err := jsbridge.Get(o, "gc", "options.gc"); err == nil && v.Truthy() {
			runtime.GC()
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	handles.Lock()
	clients := len(handles.m)
	handles.Unlock()
	return map[string]any{
		"goroutines":  runtime.NumGoroutine(),
		"jsFuncs":     jsbridge.LiveFuncs(),
		"clients":     clients,
		"running":     running.Load(),
		"queued":      queued.Load(),
		"heapAlloc":   m.HeapAlloc,
		"heapInuse":   m.HeapInuse,
		"heapSys":     m.HeapSys,
		"stackInuse":  m.StackInuse,
		"sys":         m.Sys,
		"numGC":       m.NumGC,
		"totalAlloc":  m.TotalAlloc,
		"heapObjects": m.HeapObjects,
	}
}
