//go:build js && wasm

// Command srpwasm exposes the srp package's client and server work to
// JavaScript for `make bench`, which times it next to AWS's own JS helper.
//
// It registers globalThis.cognitoSrpBench = {client, server}. The calls are
// synchronous on purpose: they do pure arithmetic (nothing waits on JS), and
// the bench measures that arithmetic, not Promise scheduling. The product's
// wasm/ module returns Promises instead.
package main

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"syscall/js"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

func main() {
	ns := js.Global().Get("Object").New()
	ns.Set("client", js.FuncOf(guard(client)))
	ns.Set("server", js.FuncOf(guard(server)))
	js.Global().Set("cognitoSrpBench", ns)
	select {}
}

// guard turns a Go error or panic into {error: "..."} so a bad argument never
// kills the runtime.
func guard(f func(args []js.Value) (map[string]any, error)) func(js.Value, []js.Value) any {
	return func(_ js.Value, args []js.Value) (ret any) {
		defer func() {
			if r := recover(); r != nil {
				ret = map[string]any{"error": fmt.Sprint("srpwasm: panic: ", r)}
			}
		}()
		out, err := f(args)
		if err != nil {
			return map[string]any{"error": err.Error()}
		}
		return out
	}
}

func stringArgs(args []js.Value, n int) ([]string, error) {
	if len(args) != n {
		return nil, fmt.Errorf("srpwasm: want %d arguments, got %d", n, len(args))
	}
	out := make([]string, n)
	for i, a := range args {
		if a.Type() != js.TypeString {
			return nil, fmt.Errorf("srpwasm: argument %d is %s, want string", i, a.Type())
		}
		out[i] = a.String()
	}
	return out, nil
}

// client(aHex, saltHex, bHex, poolName, userID, password) -> {A, key}: the
// client's whole SRP arithmetic for one sign-in with the given ephemeral a
// (at most srp.EphemeralBytes bytes), as the Go client does it.
func client(args []js.Value) (map[string]any, error) {
	s, err := stringArgs(args, 6)
	if err != nil {
		return nil, err
	}
	aHex, salt, b, pool, user, password := s[0], s[1], s[2], s[3], s[4], s[5]
	if len(aHex)%2 == 1 {
		aHex = "0" + aHex
	}
	raw, err := hex.DecodeString(aHex)
	if err != nil {
		return nil, fmt.Errorf("srpwasm: a: %w", err)
	}
	if len(raw) > srp.EphemeralBytes {
		return nil, fmt.Errorf("srpwasm: a is %d bytes, at most %d", len(raw), srp.EphemeralBytes)
	}
	a := make([]byte, srp.EphemeralBytes)
	copy(a[srp.EphemeralBytes-len(raw):], raw)
	c, err := srp.NewClient(srp.WithRandom(bytes.NewReader(a)))
	if err != nil {
		return nil, err
	}
	key, err := c.SessionKey(pool, user, password, salt, b)
	if err != nil {
		return nil, err
	}
	return map[string]any{"A": c.A(), "key": hex.EncodeToString(key)}, nil
}

// server(poolName, userID, password, aHex) -> {salt, B, key}: a fresh
// verifier and the server's answer to SRP_A, as the emulator makes them.
func server(args []js.Value) (map[string]any, error) {
	s, err := stringArgs(args, 4)
	if err != nil {
		return nil, err
	}
	v, err := srp.NewVerifier(s[0], s[1], s[2])
	if err != nil {
		return nil, err
	}
	srv, err := srp.NewServer(v, s[3])
	if err != nil {
		return nil, err
	}
	return map[string]any{"salt": srp.Hex(v.Salt), "B": srv.B(), "key": hex.EncodeToString(srv.Key())}, nil
}
