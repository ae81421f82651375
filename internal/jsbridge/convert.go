//go:build js && wasm

package jsbridge

import (
	"fmt"
	"syscall/js"
	"unicode/utf8"
)

// ArgError is a JS argument of the wrong type or size. Its code is Cognito's
// InvalidParameterException and its message names the field.
type ArgError struct {
	Field   string
	Problem string
}

func (e *ArgError) Error() string        { return "jsbridge: " + e.ErrorMessage() }
func (e *ArgError) ErrorCode() string    { return "InvalidParameterException" }
func (e *ArgError) ErrorMessage() string { return e.Field + " " + e.Problem }

func argErr(field, format string, args ...any) error {
	return &ArgError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// Limits bounds what a conversion accepts.
type Limits struct {
	MaxEntries  int // entries in a map
	MaxKeyLen   int // bytes in a key
	MaxValueLen int // bytes in a value
}

// JS helpers. syscall/js's Value.Get does not catch exceptions: a getter or
// Proxy that throws would kill the runtime. Reads of caller-supplied values
// therefore go through these functions via Invoke, which turns a throw into a
// js.Error panic that Try catches.
var (
	jsFunction = js.Global().Get("Function")
	getProp    = jsFunction.New("o", "k", "return o[k]")
	ownKeys    = jsFunction.New("o", "return Object.keys(o)")
	strLen     = jsFunction.New("s", "return s.length")
	// typeOf is typeof with null and arrays told apart. syscall/js's Type
	// panics on a BigInt, so it is not used on caller-supplied values.
	typeOf = jsFunction.New("v", `return v === null ? "null" : Array.isArray(v) ? "array" : typeof v`)
)

// IsNullish reports whether v is undefined or null.
func IsNullish(v js.Value) bool { return v.IsUndefined() || v.IsNull() }

// typeName describes v's JS type for messages.
func typeName(v js.Value) string {
	switch t := typeOf.Invoke(v).String(); t {
	case "null", "undefined":
		return t
	case "array", "object":
		return "an " + t
	default:
		return "a " + t
	}
}

// Object checks that v is a plain object (not null, an array or a function).
func Object(v js.Value, field string) error {
	if typeOf.Invoke(v).String() != "object" {
		return argErr(field, "must be an object, not %s", typeName(v))
	}
	return nil
}

// Get reads obj[key] without letting a throwing getter crash the runtime;
// a throw becomes an ArgError on field.
func Get(obj js.Value, key, field string) (js.Value, error) {
	var v js.Value
	if err := Try(func() { v = getProp.Invoke(obj, key) }); err != nil {
		return js.Undefined(), argErr(field, "could not be read: %v", err)
	}
	return v, nil
}

// String reads v as a string of at most max bytes. The length is checked on
// the JS side first so a huge string is never copied into Go.
func String(v js.Value, field string, max int) (string, error) {
	if typeOf.Invoke(v).String() != "string" {
		return "", argErr(field, "must be a string, not %s", typeName(v))
	}
	// UTF-8 takes at least one byte per UTF-16 unit.
	if n := strLen.Invoke(v).Int(); n > max {
		return "", argErr(field, "is longer than %d bytes", max)
	}
	s := v.String()
	if len(s) > max {
		return "", argErr(field, "is longer than %d bytes", max)
	}
	if !utf8.ValidString(s) {
		return "", argErr(field, "is not valid Unicode text")
	}
	return s, nil
}

// OptionalString reads obj[key] as a string; undefined and null give "".
// obj must already have passed Object.
func OptionalString(obj js.Value, key, field string, max int) (string, error) {
	v, err := Get(obj, key, field)
	if err != nil || IsNullish(v) {
		return "", err
	}
	return String(v, field, max)
}

// StringMap reads v as an object whose own enumerable values are all
// strings. undefined and null give a nil map. Messages name the entry, e.g.
// "AuthParameters.USERNAME must be a string, not a number".
func StringMap(v js.Value, field string, lim Limits) (map[string]string, error) {
	if IsNullish(v) {
		return nil, nil
	}
	if err := Object(v, field); err != nil {
		return nil, err
	}
	var keys js.Value
	if err := Try(func() { keys = ownKeys.Invoke(v) }); err != nil {
		return nil, argErr(field, "could not be read: %v", err)
	}
	n := keys.Length()
	if n > lim.MaxEntries {
		return nil, argErr(field, "has %d entries, more than the %d allowed", n, lim.MaxEntries)
	}
	out := make(map[string]string, n)
	for i := 0; i < n; i++ {
		k, err := String(keys.Index(i), field+" key", lim.MaxKeyLen)
		if err != nil {
			return nil, err
		}
		jv, err := Get(v, k, field+"."+k)
		if err != nil {
			return nil, err
		}
		val, err := String(jv, field+"."+k, lim.MaxValueLen)
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
