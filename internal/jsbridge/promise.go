//go:build js && wasm

package jsbridge

import (
	"errors"
	"fmt"
	"syscall/js"
)

// InternalErrorName names the Error a contained panic rejects with; it is
// Cognito's name for a failure on the service side.
const InternalErrorName = "InternalErrorException"

// Coded is what an error implements to choose the JS Error's name and
// message (smithy.APIError does, as do the engine's own errors).
type Coded interface {
	ErrorCode() string
	ErrorMessage() string
}

// Promise returns a JS Promise settled by fn, which runs in its own goroutine
// so the JS caller is never blocked. fn's value goes through js.ValueOf; an
// error rejects with ErrorValue(err); a panic rejects with an Error named
// InternalErrorException (or the thrown JS error itself).
func Promise(fn func() (any, error)) js.Value {
	var executor js.Func
	executor = FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			defer func() {
				if r := recover(); r != nil {
					reject.Invoke(panicValue(r))
				}
			}()
			v, err := fn()
			if err != nil {
				reject.Invoke(ErrorValue(err))
				return
			}
			resolve.Invoke(js.ValueOf(v))
		}()
		return nil
	})
	defer Release(executor) // the Promise constructor calls it synchronously
	return js.Global().Get("Promise").New(executor)
}

// Call runs prepare synchronously (so arguments are read as they are at the
// time of the call) and returns a Promise for the work it hands back. An
// error or panic in prepare gives a rejected Promise; nothing is thrown to
// the caller.
func Call(prepare func() (work func() (any, error), err error)) (p js.Value) {
	defer func() {
		if r := recover(); r != nil {
			p = Rejected(panicValue(r))
		}
	}()
	work, err := prepare()
	if err != nil {
		return Rejected(ErrorValue(err))
	}
	return Promise(work)
}

// Rejected returns Promise.reject(reason).
func Rejected(reason js.Value) js.Value {
	return js.Global().Get("Promise").Call("reject", reason)
}

// NewError makes a JS Error with the given name and message.
func NewError(name, message string) js.Value {
	e := js.Global().Get("Error").New(message)
	e.Set("name", name)
	return e
}

// ErrorValue turns err into a JS Error: a Coded error gives its code as the
// name and its message; a JS exception is passed through; anything else is
// an Error named "Error" carrying err's text.
func ErrorValue(err error) js.Value {
	var c Coded
	if errors.As(err, &c) {
		return NewError(c.ErrorCode(), c.ErrorMessage())
	}
	var je *JSError
	if errors.As(err, &je) && je.Value.Truthy() {
		return je.Value
	}
	return NewError("Error", err.Error())
}

func panicValue(r any) js.Value {
	if je, ok := r.(js.Error); ok {
		return je.Value
	}
	if err, ok := r.(error); ok {
		var c Coded
		if errors.As(err, &c) {
			return ErrorValue(err)
		}
	}
	return NewError(InternalErrorName, fmt.Sprintf("cognito-wasm: internal error: %v", r))
}
