//go:build js && wasm

package jsbridge

import (
	"fmt"
	"syscall/js"

	"github.com/cognito-wasm/cognito-wasm/signin"
)

// Conversion bounds. They are not argument checks (the engine checks sizes
// and says what is allowed); they only keep a runaway value from being
// copied into wasm memory. Nothing larger could be sent anyway: a request
// body is bounded by DefaultMaxRequestBytes.
const (
	MaxStringUnits = DefaultMaxRequestBytes // UTF-16 units in one string
	MaxMapKeys     = 4096                   // own keys of one object
)

// argErr is the engine's parameter error: one type for every bad argument,
// named after the JS field.
func argErr(field, format string, args ...any) error {
	return &signin.ParamError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// JS built-ins the conversions call. syscall/js's Value.Get does not catch
// exceptions: a getter or Proxy that throws would kill the runtime. Reads of
// caller-supplied values therefore go through Reflect.get via Invoke, which
// wasm_exec.js guards, so a throw becomes a js.Error panic that Try catches.
// Nothing here evaluates JavaScript source (no new Function): the module
// runs under a Content-Security-Policy without 'unsafe-eval'.
var (
	reflectGet = js.Global().Get("Reflect").Get("get")
	objectKeys = js.Global().Get("Object").Get("keys")
	isArray    = js.Global().Get("Array").Get("isArray")
	// isWellFormed is String.prototype.isWellFormed where it exists; else a
	// lone UTF-16 surrogate is found with loneSurrogate. One cannot become
	// UTF-8, and syscall/js would silently turn it into U+FFFD.
	isWellFormed  = js.Global().Get("String").Get("prototype").Get("isWellFormed")
	loneSurrogate = js.Global().Get("RegExp").New(`\p{Cs}`, "u")
)

// jsType is typeof v, with null and arrays told apart, and "unreadable" for
// a revoked Proxy (Array.isArray throws on one). syscall/js's Type panics on
// a BigInt, which is the only value it does not know.
func jsType(v js.Value) (t string) {
	switch {
	case v.IsNull():
		return "null"
	case v.IsUndefined():
		return "undefined"
	}
	defer func() {
		if recover() != nil {
			t = "bigint"
		}
	}()
	switch v.Type() {
	case js.TypeBoolean:
		return "boolean"
	case js.TypeNumber:
		return "number"
	case js.TypeString:
		return "string"
	case js.TypeSymbol:
		return "symbol"
	case js.TypeFunction:
		return "function"
	}
	var arr bool
	if threw(func() { arr = isArray.Invoke(v).Bool() }) {
		return "unreadable"
	}
	if arr {
		return "array"
	}
	return "object"
}

// strLength is the string v's length in UTF-16 units, read without copying
// it into wasm memory (syscall/js's Length takes objects only).
func strLength(v js.Value) int {
	return reflectGet.Invoke(jsObject.Invoke(v), "length").Int()
}

var jsObject = js.Global().Get("Object")

// wellFormed reports whether the string v has no lone UTF-16 surrogate.
func wellFormed(v js.Value) bool {
	if isWellFormed.Type() == js.TypeFunction {
		return isWellFormed.Call("call", v).Bool()
	}
	return !loneSurrogate.Call("test", v).Bool()
}

// IsNullish reports whether v is undefined or null.
func IsNullish(v js.Value) bool { return v.IsUndefined() || v.IsNull() }

// typeName describes v's JS type for messages.
func typeName(v js.Value) string {
	switch t := jsType(v); t {
	case "null", "undefined":
		return t
	case "unreadable":
		return "an unreadable value (a revoked Proxy?)"
	case "array", "object":
		return "an " + t
	default:
		return "a " + t
	}
}

// Object checks that v is a plain object (not null, an array, a function or
// a revoked Proxy).
func Object(v js.Value, field string) error {
	if jsType(v) != "object" {
		return argErr(field, "must be an object, not %s", typeName(v))
	}
	return nil
}

// Get reads obj[key] without letting a throwing getter crash the runtime;
// a throw becomes a ParamError on field. obj must be an object or function
// (Reflect.get refuses anything else, which also becomes the ParamError).
func Get(obj js.Value, key, field string) (js.Value, error) {
	var v js.Value
	if err := Try(func() { v = reflectGet.Invoke(obj, key) }); err != nil {
		return js.Undefined(), argErr(field, "could not be read: %v", err)
	}
	return v, nil
}

// String reads v as a string. Text with a lone surrogate is refused: it has
// no faithful UTF-8 form, and two different passwords must never become one.
func String(v js.Value, field string) (string, error) {
	if jsType(v) != "string" {
		return "", argErr(field, "must be a string, not %s", typeName(v))
	}
	if strLength(v) > MaxStringUnits {
		return "", argErr(field, "is longer than %d characters", MaxStringUnits)
	}
	if !wellFormed(v) {
		return "", argErr(field, "holds a lone UTF-16 surrogate, which cannot be carried faithfully")
	}
	return v.String(), nil
}

// OptionalString reads obj[key] as a string; undefined and null give "".
// obj must already have passed Object.
func OptionalString(obj js.Value, key, field string) (string, error) {
	v, err := Get(obj, key, field)
	if err != nil || IsNullish(v) {
		return "", err
	}
	return String(v, field)
}

// StringMap reads v as an object whose own enumerable values are all
// strings. undefined and null give a nil map. Messages name the entry, e.g.
// "AuthParameters.USERNAME must be a string, not a number".
func StringMap(v js.Value, field string) (map[string]string, error) {
	if IsNullish(v) {
		return nil, nil
	}
	if err := Object(v, field); err != nil {
		return nil, err
	}
	var keys js.Value
	if err := Try(func() { keys = objectKeys.Invoke(v) }); err != nil {
		return nil, argErr(field, "could not be read: %v", err)
	}
	n := keys.Length()
	if n > MaxMapKeys {
		return nil, argErr(field, "has %d entries, more than %d", n, MaxMapKeys)
	}
	out := make(map[string]string, n)
	for i := 0; i < n; i++ {
		k, err := String(keys.Index(i), field+" key")
		if err != nil {
			return nil, err
		}
		jv, err := Get(v, k, field+"."+k)
		if err != nil {
			return nil, err
		}
		val, err := String(jv, field+"."+k)
		if err != nil {
			return nil, err
		}
		out[k] = val
	}
	return out, nil
}

// FromStringMap builds a JS object from m; a nil map gives an empty object.
func FromStringMap(m map[string]string) js.Value {
	o := js.Global().Get("Object").New()
	for k, v := range m {
		o.Set(k, v)
	}
	return o
}
