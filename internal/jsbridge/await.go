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

// newJSError reads name and message from a thrown value of any type. A
// getter or toString that throws gives no name and the message
// "unreadable JavaScript exception" instead of escaping.
func newJSError(v js.Value) *JSError {
	unreadable := &JSError{Message: "unreadable JavaScript exception", Value: v}
	name, message := "", ""
	switch jsType(v) {
	case "unreadable":
		return unreadable
	case "object", "function", "array":
		var n, m js.Value
		if threw(func() { n = reflectGet.Invoke(v, "name") }) {
			return unreadable
		}
		if jsType(n) == "string" {
			name = n.String()
		}
		if threw(func() { m = reflectGet.Invoke(v, "message") }) {
			return unreadable
		}
		if jsType(m) == "string" {
			return &JSError{Name: name, Message: m.String(), Value: v}
		}
	}
	if threw(func() { message = jsString.Invoke(v).String() }) {
		return unreadable
	}
	return &JSError{Name: name, Message: message, Value: v}
}

var jsString = js.Global().Get("String")

// isThenable reports whether p is an object or function with a then method.
func isThenable(p js.Value) bool {
	switch jsType(p) {
	case "object", "function", "array":
	default:
		return false
	}
	var then js.Value
	return !threw(func() { then = reflectGet.Invoke(p, "then") }) && jsType(then) == "function"
}

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
	if !isThenable(p) {
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

// threw runs f and reports whether it threw a JS exception, without reading
// the exception (reading it could throw again); other panics go on.
func threw(f func()) (thrown bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(js.Error); !ok {
				panic(r)
			}
			thrown = true
		}
	}()
	f()
	return false
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
