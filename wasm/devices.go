//go:build js && wasm

package main

import (
	"context"
	"sync"
	"syscall/js"

	"github.com/cognito-wasm/cognito-wasm/session"
	"github.com/cognito-wasm/cognito-wasm/signin"
)

// Remembered devices: every sign-in of a client keeps the device Cognito
// offers (signin confirms it) in the client's storage, under the keys both
// AWS libraries use, and proves a kept one; Amplify's rememberDevice,
// forgetDevice and fetchDevices act on them.

func init() {
	handleMethods["rememberDevice"] = (*handle).prepareRememberDevice
	handleMethods["forgetDevice"] = (*handle).prepareForgetDevice
	handleMethods["fetchDevices"] = (*handle).prepareFetchDevices
}

// maxDevices is how many devices fetchDevices lists: ListDevices' most, as
// Amplify asks.
const maxDevices = 60

// deviceName names new devices in ConfirmDevice, as Amplify does: the
// browser's user agent, read at the first sign-in rather than at module
// start-up.
var deviceName = sync.OnceValue(func() string {
	if nav := js.Global().Get("navigator"); typeIs(nav, js.TypeObject) {
		if ua := nav.Get("userAgent"); typeIs(ua, js.TypeString) && ua.String() != "" {
			s := ua.String()
			if len(s) > 1024 { // ConfirmDevice's DeviceName limit
				s = s[:1024]
			}
			return s
		}
	}
	return signin.DefaultDeviceName
})

// withDevices lets a sign-in confirm, present and prove devices.
func (h *handle) withDevices(in *signin.SignInInput) {
	in.Devices, in.DeviceName = h.sess.Devices(), deviceName()
}

// prepareRememberDevice is rememberDevice(): the signed-in user's kept
// device marked remembered (UpdateDeviceStatus).
func (h *handle) prepareRememberDevice(js.Value) (func() (any, error), error) {
	return func() (any, error) {
		ctx := context.Background()
		_, at, d, err := h.sess.CurrentDevice(ctx)
		if err != nil {
			return nil, err
		}
		if d == nil {
			return nil, session.ErrNoDevice
		}
		return nil, h.c.UpdateDeviceStatus(ctx, at, d.Key, true)
	}, nil
}

// prepareForgetDevice is forgetDevice(id): the device id names (the kept
// one when id is nullish) forgotten at Cognito, and dropped from storage
// when it is the kept one. The shim reads input.device.id.
func (h *handle) prepareForgetDevice(idV js.Value) (func() (any, error), error) {
	var id string
	if !idV.IsUndefined() && !idV.IsNull() {
		if !typeIs(idV, js.TypeString) || idV.String() == "" || len(idV.String()) > 55 {
			return nil, &signin.ParamError{Field: "device.id", Problem: "must be a device key (a string of at most 55 characters)"}
		}
		id = idV.String()
	}
	return func() (any, error) {
		ctx := context.Background()
		user, at, d, err := h.sess.CurrentDevice(ctx)
		if err != nil {
			return nil, err
		}
		key := id
		if key == "" {
			if d == nil {
				return nil, session.ErrNoDevice
			}
			key = d.Key
		}
		if err := h.c.ForgetDevice(ctx, at, key); err != nil {
			return nil, err
		}
		if d != nil && d.Key == key {
			return nil, h.sess.Devices().ForgetDevice(ctx, user)
		}
		return nil, nil
	}, nil
}

// prepareFetchDevices is fetchDevices(): ListDevices' answer as JSON text,
// which the shim shapes as Amplify's devices.
func (h *handle) prepareFetchDevices(js.Value) (func() (any, error), error) {
	return func() (any, error) {
		ctx := context.Background()
		at, err := h.sess.AccessToken(ctx)
		if err != nil {
			return nil, err
		}
		raw, err := h.c.ListDevices(ctx, at, maxDevices, "")
		if err != nil {
			return nil, err
		}
		return string(raw), nil
	}, nil
}
