//go:build js && wasm

package jsbridge

import (
	"context"
	"syscall/js"
)

// JSError is a rejection or exception from JavaScript: its name and message,
// and the original value so it can be handed back to JS unchanged.
type JSError struct {
	Name    string
	Message string
	Value   js.Value
}

func (e *JSError) Error() string {
	if e.Name == "" {
		return "jsbridge: " + e.Message
	}
	return "jsbridge: " + e.Name + ": " + e.Message
}

// errorParts reads name and message from any thrown value without letting a
// throwing getter or toString escape.
var errorParts = js.Global().Get("Function").New("e", `
	try {
		const name = (e !== null && (typeof e === "object" || typeof e === "function") && typeof e.name === "string") ? e.name : "";
		const message = (e !== null && (typeof e === "object" || typeof e === "function") && typeof e.message === "string") ? e.message : String(e);
		return [name, message];
	} catch (_) {
		return ["", "unreadable JavaScript exception"];
	}`)

// newJSError reads name and message from a thrown value of any type.
func newJSError(v js.Value) *JSError {
	parts := errorParts.Invoke(v)
	return &JSError{Name: parts.Index(0).String(), Message: parts.Index(1).String(), Value: v}
}

var isThenable = js.Global().Get("Function").New("p", `
	try {
		return p !== null && (typeof p === "object" || typeof p === "function") && typeof p.then === "function";
	} catch (_) {
		return false;
	}`)

type settled struct {
	v   js.Value
	err error
}

// Await waits for a JS Promise (or any thenable; other values are returned
// as they are). It must not be called from inside a js.FuncOf callback. Both
// callbacks are released as soon as either fires; if ctx ends first, Await
// returns ctx.Err() and the callbacks release themselves when the Promise
// settles later.
func Await(ctx context.Context, p js.Value) (js.Value, error) {
	if !isThenable.Invoke(p).Bool() {
		return p, nil
	}
	ch := make(chan settled, 1)
	var onOK, onErr js.Func
	release := func() { Release(onOK); Release(onErr) }
	onOK = FuncOf(func(_ js.Value, args []js.Value) any {
		release()
		ch <- settled{v: arg0(args)}
		return nil
	})
	onErr = FuncOf(func(_ js.Value, args []js.Value) any {
		release()
		ch <- settled{err: newJSError(arg0(args))}
		return nil
	})
	if err := Try(func() { p.Call("then", onOK, onErr) }); err != nil {
		release()
		return js.Undefined(), err
	}
	select {
	case s := <-ch:
		return s.v, s.err
	case <-ctx.Done():
		return js.Undefined(), ctx.Err()
	}
}

// Try runs f and turns a JS exception it throws into a *JSError; other
// panics go on.
func Try(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			je, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			err = newJSError(je.Value)
		}
	}()
	f()
	return nil
}

func arg0(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}
