package emulator

import (
	"context"
	"crypto/subtle"
	"encoding/base64"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// Device authentication: once the user has proven who they are, a sign-in
// that presented a confirmed device's key (DEVICE_KEY) owes DEVICE_SRP_AUTH
// (the client's SRP_A for the device) and DEVICE_PASSWORD_VERIFIER (the
// proof), the same SRP as PASSWORD_VERIFIER with the device group key as
// the pool name, the device key as the user and the device's random
// password as the password. Only a remembered device is authenticated so
// ("Always remember" authenticates every device on every sign-in; under
// user opt-in a device the user did not remember is only tracked). In a
// pool whose DeviceConfiguration has ChallengeRequiredOnNewDevice the
// device's proof stands in for MFA; otherwise it comes after the MFA code.

// presentDevice takes the device key of the request that completed the
// first factor (InitiateAuth's AuthParameters, or the answer's
// ChallengeResponses: clients send it with PASSWORD_VERIFIER) into the
// sign-in. A key that is not one of this user's devices is "Device does not
// exist.", and the session stays usable so that the client, as
// amazon-cognito-identity-js and Amplify do, can drop its stored device and
// answer again without it.
func (e *Emulator) presentDevice(sc *signInContext, st *authState, u *userRecord) error {
	st.deviceKey = ""
	if sc.pool.Devices == nil || sc.deviceKey == "" {
		return nil
	}
	var d *deviceRecord
	err := e.store.view(func(t *txn) (err error) {
		d, err = t.device(sc.pool.ID, u.Sub, sc.deviceKey)
		return err
	})
	if err != nil {
		return err
	}
	if d == nil {
		return retry(errDeviceNotFound())
	}
	st.deviceKey = d.Key
	return nil
}

// sessionDevice reads the device a sign-in presented, or nil.
func (e *Emulator) sessionDevice(p *poolRecord, st authState, u *userRecord) (*deviceRecord, error) {
	if p.Devices == nil || st.deviceKey == "" {
		return nil, nil
	}
	var d *deviceRecord
	err := e.store.view(func(t *txn) (err error) {
		d, err = t.device(p.ID, u.Sub, st.deviceKey)
		return err
	})
	return d, err
}

// rememberedSessionDevice is the signing-in user and the device its sign-in
// presented, which must still be remembered: both device challenges start
// from it, since the device may have been forgotten between them.
func (e *Emulator) rememberedSessionDevice(p *poolRecord, st authState) (*userRecord, *deviceRecord, error) {
	u, err := e.activeSessionUser(p, st)
	if err != nil {
		return nil, nil, err
	}
	d, err := e.sessionDevice(p, st, u)
	if err != nil {
		return nil, nil, err
	}
	if d == nil || !d.remembered() {
		return nil, nil, errDeviceNotFound() // forgotten or no longer remembered meanwhile
	}
	return u, d, nil
}

// unlessRememberedDevice wraps the MFA step: a remembered device, in a
// pool that lets one stand in for MFA, owes no code. It still owes its own
// proof (oweDevice comes after), so nothing is skipped unproven.
func unlessRememberedDevice(owe func(*Emulator, context.Context, *signInContext, authState, *userRecord) (*authResponse, error)) func(*Emulator, context.Context, *signInContext, authState, *userRecord) (*authResponse, error) {
	return func(e *Emulator, ctx context.Context, sc *signInContext, st authState, u *userRecord) (*authResponse, error) {
		if sc.pool.Devices != nil && sc.pool.Devices.ChallengeRequiredOnNewDevice {
			d, err := e.sessionDevice(sc.pool, st, u)
			if err != nil {
				return nil, err
			}
			if d != nil && d.remembered() {
				return nil, nil
			}
		}
		return owe(e, ctx, sc, st, u)
	}
}

// oweDevice asks a remembered device to prove itself.
func oweDevice(e *Emulator, _ context.Context, sc *signInContext, st authState, u *userRecord) (*authResponse, error) {
	d, err := e.sessionDevice(sc.pool, st, u)
	if err != nil {
		return nil, err
	}
	if d == nil {
		if st.deviceKey != "" && sc.pool.Devices != nil {
			return nil, errDeviceNotFound() // forgotten during the sign-in
		}
		return nil, nil
	}
	if !d.remembered() {
		return nil, nil
	}
	return e.challenge(sc, st, "DEVICE_SRP_AUTH", nil, "", map[string]string{"USERNAME": u.Username}), nil
}

// answerDeviceSRP takes the device's SRP_A and answers with
// DEVICE_PASSWORD_VERIFIER, computed against the stored device verifier.
func answerDeviceSRP(e *Emulator, _ context.Context, a *answer) (*authResponse, error) {
	st := a.session.authState
	if a.responses["DEVICE_KEY"] != st.deviceKey {
		return nil, errDeviceNotFound()
	}
	if _, err := srp.ParseHex("SRP_A", a.responses["SRP_A"]); err != nil {
		return nil, errInvalidParam("SRP_A is not a valid hex number.")
	}
	u, d, err := e.rememberedSessionDevice(a.pool, st)
	if err != nil {
		return nil, err
	}
	ver, err := d.verifier()
	if err != nil {
		return nil, errInternal
	}
	server, err := srp.NewServerTabled(ver, a.responses["SRP_A"])
	if err != nil {
		return nil, errInvalidParam("SRP_A is not valid: %v", err)
	}
	state := &srpState{secretBlock: base64.StdEncoding.EncodeToString(randomBytes(secretBlockSize)), key: server.Key()}
	return e.challenge(a.signInContext, st, "DEVICE_PASSWORD_VERIFIER", state, "", map[string]string{
		"SALT":         srp.Hex(ver.Salt),
		"SRP_B":        server.B(),
		"SECRET_BLOCK": state.secretBlock,
		"USERNAME":     u.Username,
		"DEVICE_KEY":   d.Key,
	}), nil
}

// answerDevicePasswordVerifier checks the device's proof: HMAC over the
// device group key, the device key, the secret block and the TIMESTAMP
// with the SRP session key. A wrong proof ends the sign-in.
func answerDevicePasswordVerifier(e *Emulator, ctx context.Context, a *answer) (*authResponse, error) {
	state, ok := a.session.state.(*srpState)
	if !ok {
		return nil, errInvalidSession()
	}
	st := a.session.authState
	if a.responses["DEVICE_KEY"] != st.deviceKey {
		return nil, errDeviceNotFound()
	}
	block := a.responses["PASSWORD_CLAIM_SECRET_BLOCK"]
	if subtle.ConstantTimeCompare([]byte(state.secretBlock), []byte(block)) != 1 {
		return nil, errBadCredentials()
	}
	_, d, err := e.rememberedSessionDevice(a.pool, st)
	if err != nil {
		return nil, err
	}
	ts, err := srp.ParseTimestamp(a.responses["TIMESTAMP"])
	skewOK := err == nil && ts.Sub(e.now()) <= timestampSkew && e.now().Sub(ts) <= timestampSkew
	if !skewOK || !srp.VerifyClaim(state.key, d.GroupKey, d.Key, block, a.responses["TIMESTAMP"], a.responses["PASSWORD_CLAIM_SIGNATURE"]) {
		return nil, errBadCredentials()
	}
	st.done |= stepDevice
	a.signInContext.tokenSource = "AuthenticateDevice" // the pre-token-generation trigger's source
	return e.next(ctx, a.signInContext, st)
}

// signInDevice is the device a finished sign-in's tokens name: the one it
// presented (now its last sign-in, from this address), or, in a pool that
// tracks devices, a new one whose key and group key go back as
// NewDeviceMetadata for the client to confirm.
func (e *Emulator) signInDevice(ctx context.Context, sc *signInContext, st authState, u *userRecord) (string, *newDeviceMetadata, error) {
	if sc.pool.Devices == nil {
		return "", nil, nil
	}
	if st.deviceKey != "" {
		now, ip := e.now().UTC(), clientIP(ctx)
		err := e.store.update(func(t *txn) error {
			d, err := t.device(sc.pool.ID, u.Sub, st.deviceKey)
			if err != nil || d == nil {
				return err
			}
			d.LastAuth = now
			if ip != "" {
				d.LastIP = ip
			}
			return t.putDevice(sc.pool.ID, u.Sub, d)
		})
		return st.deviceKey, nil, err
	}
	meta, err := e.issueDevice(ctx, sc.pool, u)
	if err != nil {
		return "", nil, err
	}
	return meta.DeviceKey, meta, nil
}
