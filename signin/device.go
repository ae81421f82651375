package signin

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// Remembered devices. A sign-in in a pool that tracks devices ends with
// NewDeviceMetadata; the engine then makes the device's secret (a random
// password) and its SRP verifier, registers them with ConfirmDevice and
// keeps the device in the caller's DeviceStore. Later sign-ins present the
// device (DEVICE_KEY) and prove it holds the secret (DEVICE_SRP_AUTH,
// DEVICE_PASSWORD_VERIFIER): a remembered device stands in for MFA.
//
// Devices are kept under the user's stable username (USER_ID_FOR_SRP, the
// access token's username claim), never the name or alias typed: both AWS
// libraries read them there, and a device kept under an alias is never
// found again (the user is asked for MFA on every sign-in).

// Device is a device's secrets as amazon-cognito-identity-js and Amplify
// store them (deviceKey, deviceGroupKey, randomPasswordKey).
type Device struct {
	Key      string // DeviceKey
	GroupKey string // DeviceGroupKey: the device SRP's pool name
	Password string // the random device password: the device SRP's password
}

// DeviceStore keeps one device per user, by the user's stable username.
// Device returns nil (and no error) when the user has none.
type DeviceStore interface {
	Device(ctx context.Context, username string) (*Device, error)
	SaveDevice(ctx context.Context, username string, d Device) error
	ForgetDevice(ctx context.Context, username string) error
}

// DefaultDeviceName is ConfirmDevice's DeviceName when SignInInput has none.
const DefaultDeviceName = "cognito-wasm"

// devicePasswordBytes is the random password's size before base64, as
// both AWS libraries make it.
const devicePasswordBytes = 40

// deviceGone reports Cognito's ResourceNotFoundException "Device does not
// exist.": the device was forgotten (or is not this user's).
func deviceGone(err error) bool {
	var api smithy.APIError
	return errors.As(err, &api) && api.ErrorCode() == "ResourceNotFoundException" &&
		strings.Contains(strings.ToLower(api.ErrorMessage()), "device")
}

// presentedDevice returns the device kept for username, or nil.
func (st *run) presentedDevice(ctx context.Context, username string) (*Device, error) {
	if st.devices == nil || username == "" {
		return nil, nil
	}
	d, err := st.devices.Device(ctx, username)
	if err != nil || d == nil || d.Key == "" || d.GroupKey == "" || d.Password == "" {
		return nil, err
	}
	return d, nil
}

// forgetDevice drops the device kept for username: the server no longer
// knows it (or refused its proof), so presenting it again cannot help.
func (st *run) forgetDevice(ctx context.Context, username string) {
	if st.devices != nil && username != "" {
		_ = st.devices.ForgetDevice(ctx, username) // the error that led here is what the caller hears
	}
}

// answerDevice answers DEVICE_SRP_AUTH with a fresh ephemeral and the
// DEVICE_PASSWORD_VERIFIER that follows with the device's proof: the same
// SRP as the password's, with the device group key as the pool name, the
// device key as the user and the device password as the password.
func (c *Client) answerDevice(ctx context.Context, st *run, r *reply) (*reply, error) {
	d, err := st.presentedDevice(ctx, st.username)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, &ServerError{Challenge: r.challenge, Err: errString("asked for a device proof, but no device is kept for " + st.username)}
	}
	sc, err := c.eph.take(ctx)
	if err != nil {
		return nil, err
	}
	answers := map[string]string{"USERNAME": st.username, "DEVICE_KEY": d.Key, "SRP_A": sc.A()}
	c.addSecretHash(answers, st.username)
	next, err := c.respondCall(ctx, st.admin, "DEVICE_SRP_AUTH", answers, r.session, st.meta)
	if err != nil || next.challenge != "DEVICE_PASSWORD_VERIFIER" {
		return next, err
	}
	cp := next.params
	claim, err := c.passwordClaim(ctx, sc, next.challenge, d.GroupKey, d.Key, d.Password, cp)
	if err != nil {
		return nil, err
	}
	answers = map[string]string{
		"USERNAME":                    st.username,
		"DEVICE_KEY":                  d.Key,
		"PASSWORD_CLAIM_SECRET_BLOCK": cp["SECRET_BLOCK"],
		"TIMESTAMP":                   claim.Timestamp,
		"PASSWORD_CLAIM_SIGNATURE":    claim.Signature,
	}
	c.addSecretHash(answers, st.username)
	return c.respondCall(ctx, st.admin, "DEVICE_PASSWORD_VERIFIER", answers, next.session, st.meta)
}

// confirmNewDevice registers the device a sign-in's tokens offer
// (NewDeviceMetadata) and keeps it under the token's username. As in
// Amplify, a failure here does not fail the sign-in: the user is signed in,
// without a remembered device.
func (c *Client) confirmNewDevice(ctx context.Context, st *run, t *Tokens) {
	m := t.NewDeviceMetadata
	if st.devices == nil || m == nil || m.DeviceKey == "" || m.DeviceGroupKey == "" {
		return
	}
	username := tokenUsername(t.AccessToken)
	if username == "" {
		username = st.username
	}
	d, cfg, err := c.newDeviceSecret(ctx, m)
	if err != nil {
		return
	}
	name := st.deviceName
	if name == "" {
		name = DefaultDeviceName
	}
	in := struct {
		AccessToken, DeviceKey, DeviceName string
		DeviceSecretVerifierConfig         deviceVerifierConfig
	}{t.AccessToken, d.Key, name, cfg}
	if err := c.rpc.Call(ctx, "ConfirmDevice", in, nil); err != nil {
		return
	}
	_ = st.devices.SaveDevice(ctx, username, d)
}

// deviceVerifierConfig is ConfirmDevice's DeviceSecretVerifierConfig:
// base64 of the padded big-endian verifier and salt.
type deviceVerifierConfig struct{ PasswordVerifier, Salt string }

// newDeviceSecret makes a device's random password and the verifier
// Cognito keeps of it: v = g^x, x = H(salt || H(groupKey || key || ":" || password)).
func (c *Client) newDeviceSecret(ctx context.Context, m *DeviceMetadata) (Device, deviceVerifierConfig, error) {
	r := c.cfg.Random
	if r == nil {
		r = rand.Reader
	}
	pw := make([]byte, devicePasswordBytes)
	if _, err := io.ReadFull(r, pw); err != nil {
		return Device{}, deviceVerifierConfig{}, err
	}
	d := Device{Key: m.DeviceKey, GroupKey: m.DeviceGroupKey, Password: base64.StdEncoding.EncodeToString(pw)}
	var v srp.Verifier
	var err error
	if cerr := c.cfg.Compute(ctx, func() { v, err = srp.NewVerifier(d.GroupKey, d.Key, d.Password, srp.WithRandom(r)) }); cerr != nil {
		return Device{}, deviceVerifierConfig{}, cerr
	}
	if err != nil {
		return Device{}, deviceVerifierConfig{}, err
	}
	b64 := base64.StdEncoding.EncodeToString
	return d, deviceVerifierConfig{PasswordVerifier: b64(srp.Pad(v.V)), Salt: b64(srp.Pad(v.Salt))}, nil
}

// tokenUsername reads an access token's username claim without checking
// the token (the server just issued it); "" when it has none.
func tokenUsername(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims struct {
		Username string `json:"username"`
	}
	if json.Unmarshal(b, &claims) != nil {
		return ""
	}
	return claims.Username
}

// The device operations of a signed-in user (Amplify's rememberDevice,
// forgetDevice, fetchDevices), through the same JSON call path.

// UpdateDeviceStatus marks deviceKey remembered (or not_remembered).
func (c *Client) UpdateDeviceStatus(ctx context.Context, accessToken, deviceKey string, remembered bool) error {
	status := "not_remembered"
	if remembered {
		status = "remembered"
	}
	in := struct{ AccessToken, DeviceKey, DeviceRememberedStatus string }{accessToken, deviceKey, status}
	return c.rpc.Call(ctx, "UpdateDeviceStatus", in, nil)
}

// ForgetDevice forgets deviceKey at Cognito.
func (c *Client) ForgetDevice(ctx context.Context, accessToken, deviceKey string) error {
	return c.rpc.Call(ctx, "ForgetDevice", struct{ AccessToken, DeviceKey string }{accessToken, deviceKey}, nil)
}

// ListDevices answers ListDevices' JSON as it came (Devices,
// PaginationToken): the wasm module's shim shapes it as Amplify does.
func (c *Client) ListDevices(ctx context.Context, accessToken string, limit int, paginationToken string) (json.RawMessage, error) {
	in := struct {
		AccessToken     string
		Limit           int    `json:",omitempty"`
		PaginationToken string `json:",omitempty"`
	}{accessToken, limit, paginationToken}
	var out json.RawMessage
	if err := c.rpc.Call(ctx, "ListDevices", in, &out); err != nil {
		return nil, err
	}
	return out, nil
}
