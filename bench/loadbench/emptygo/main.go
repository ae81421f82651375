//go:build js && wasm

// Command emptygo is the least a Go wasm module can do: start the runtime
// and signal readiness as cognito-wasm does. loadbench times it as the floor
// under cognito-wasm's time to ready.
package main

import "syscall/js"

func main() {
	ns := js.Global().Get("Object").New()
	js.Global().Set("emptyGo", ns)
	js.Global().Call("__cognitoWasmReady", ns)
	select {}
}
