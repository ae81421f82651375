//go:build js && wasm

package main

import (
	"context"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/internal/jsbridge"
)

const (
	devicePool   = "us-east-1_cwDevice01"
	deviceClient = "cwtestdeviceclient000001"
)

// deviceHandle creates a client of the device-tracking pool over env's storage.
func deviceHandle(t *testing.T, ns, env js.Value) js.Value {
	t.Helper()
	args := js.Global().Get("Function").New("cfg", "env", `return [{...cfg, userPoolId: "`+devicePool+`", clientId: "`+deviceClient+`", storage: env.storage}, env.emit]`).
		Invoke(jsArgs(t, "[cfg]")[0], env)
	h, err := call(t, ns, "createClient", []js.Value{args.Index(0), args.Index(1)})
	if err != nil {
		t.Fatalf("createClient = %v", err)
	}
	return h
}

// outboxCode reads the newest code the emulator "sent" to username.
func outboxCode(t *testing.T, pool, username string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p := js.Global().Call("fetch", emulatorURL+"/_dev/outbox?userPoolId="+pool+"&username="+username).
		Call("then", js.Global().Get("Function").New("r", "return r.json()"))
	msgs, err := jsbridge.Await(ctx, p)
	if err != nil || msgs.Length() == 0 {
		t.Fatalf("outbox for %s = %v, %v", username, msgs, err)
	}
	return msgs.Index(msgs.Length() - 1).Get("code").String()
}

func deviceKeyOf(env js.Value, username, name string) js.Value {
	return env.Get("m").Call("get", "CognitoIdentityServiceProvider."+deviceClient+"."+username+"."+name)
}

// TestRememberedDevices: the client confirms the device of a sign-in and
// keeps it under the username, rememberDevice marks it, fetchDevices lists
// it, the next sign-in skips MFA, forgetDevice drops it (MFA again); bad
// input and a missing device are refused by name.
func TestRememberedDevices(t *testing.T) {
	ns := newNamespace(t)
	env := sessionEnv(true)
	h := deviceHandle(t, ns, env)
	signIn := func(typed string) (mfa bool) {
		t.Helper()
		res, err := call(t, h, "signIn", jsArgs(t, `[{username: "`+typed+`", password: "Passw0rd!Dana"}]`))
		if err != nil {
			t.Fatalf("signIn(%s) = %v", typed, err)
		}
		if res.Get("isSignedIn").Bool() {
			return false
		}
		if step := res.Get("nextStep").Get("signInStep").String(); step != "CONFIRM_SIGN_IN_WITH_SMS_CODE" {
			t.Fatalf("signIn(%s) step %s; want the SMS code", typed, step)
		}
		res, err = call(t, h, "confirmSignIn", jsArgs(t, `[{challengeResponse: "`+outboxCode(t, devicePool, "dana")+`"}]`))
		if err != nil || !res.Get("isSignedIn").Bool() {
			t.Fatalf("confirmSignIn = %v, %v", res, err)
		}
		return true
	}
	if _, err := call(t, h, "rememberDevice", nil); !strings.Contains(errName(err), "UserUnAuthenticatedException") {
		t.Errorf("rememberDevice signed out = %v; want UserUnAuthenticatedException", err)
	}
	if !signIn("dana@example.com") {
		t.Fatal("first sign-in skipped MFA")
	}
	key := deviceKeyOf(env, "dana", "deviceKey")
	if key.Type() != js.TypeString || !strings.HasPrefix(key.String(), "us-east-1_") ||
		deviceKeyOf(env, "dana", "deviceGroupKey").Type() != js.TypeString || deviceKeyOf(env, "dana", "randomPasswordKey").Type() != js.TypeString {
		t.Fatalf("device keys under dana: %v; want all three", key)
	}
	if _, err := call(t, h, "rememberDevice", nil); err != nil {
		t.Fatalf("rememberDevice = %v", err)
	}
	list, err := call(t, h, "fetchDevices", nil)
	if err != nil || list.Type() != js.TypeString || !strings.Contains(list.String(), `"DeviceKey":"`+key.String()+`"`) {
		t.Fatalf("fetchDevices = %v, %v; want ListDevices' JSON with the device", list, err)
	}
	if _, err := call(t, h, "signOut", jsArgs(t, `[false]`)); err != nil {
		t.Fatal(err)
	}
	if deviceKeyOf(env, "dana", "deviceKey").Type() != js.TypeString {
		t.Fatal("signOut dropped the device")
	}
	if signIn("DANA") && signIn("dana") {
		t.Fatal("a remembered device did not spare MFA")
	}
	for _, tt := range []struct{ arg, want string }{{`[5]`, "device.id"}, {`[""]`, "device.id"}, {`[10n]`, "device.id"}, {`["` + strings.Repeat("k", 56) + `"]`, "device.id"}} {
		if _, err := call(t, h, "forgetDevice", jsArgs(t, tt.arg)); !strings.Contains(errName(err), "InvalidParameterException") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("forgetDevice(%s) = %v; want InvalidParameterException naming %s", tt.arg, err, tt.want)
		}
	}
	if _, err := call(t, h, "forgetDevice", nil); err != nil {
		t.Fatalf("forgetDevice() = %v", err)
	}
	if deviceKeyOf(env, "dana", "deviceKey").Type() == js.TypeString {
		t.Error("forgetDevice() left the device key in storage")
	}
	if _, err := call(t, h, "rememberDevice", nil); !strings.Contains(errName(err), "DeviceMetadataNotFoundException") {
		t.Errorf("rememberDevice without a device = %v; want DeviceMetadataNotFoundException", err)
	}
	if list, err := call(t, h, "fetchDevices", nil); err != nil || strings.Contains(list.String(), key.String()) {
		t.Errorf("fetchDevices after forgetDevice = %v, %v; want the device gone", list, err)
	}
	if !signIn("dana") {
		t.Error("MFA not asked after forgetDevice")
	}
}

func errName(err error) string {
	name, _ := rejection(err)
	return name
}
