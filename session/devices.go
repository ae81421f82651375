package session

import (
	"context"

	"github.com/aws/smithy-go"

	"github.com/cognito-wasm/cognito-wasm/signin"
)

// A remembered device's values under UserKey, with KeyDeviceKey: the names
// amazon-cognito-identity-js and Amplify JS v6 use, so a device one of them
// remembered is used by this module and the other way round. Sign-out
// leaves them: a remembered device outlives the session.
const (
	KeyDeviceGroupKey = "deviceGroupKey"
	KeyRandomPassword = "randomPasswordKey"
)

// CodeNoDevice is Amplify's error name when no device is kept for the
// signed-in user (rememberDevice, forgetDevice without a device).
const CodeNoDevice = "DeviceMetadataNotFoundException"

// ErrNoDevice is what callers answer when an operation on the current
// device finds none kept (CurrentDevice's d is nil).
var ErrNoDevice error = &noDevice{}

type noDevice struct{}

const msgNoDevice = "Either deviceKey, deviceGroupKey or secretPassword were not found during the sign-in process."

func (*noDevice) Error() string                 { return "session: " + msgNoDevice }
func (*noDevice) ErrorCode() string             { return CodeNoDevice }
func (*noDevice) ErrorMessage() string          { return msgNoDevice }
func (*noDevice) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// Devices is the signin.DeviceStore over the session's storage: the
// engine keeps the devices it confirms there, by the user's username (the
// access token's username claim, as the tokens are kept).
func (m *Manager) Devices() signin.DeviceStore { return deviceStore{m} }

type deviceStore struct{ m *Manager }

var deviceKeys = [...]string{KeyDeviceKey, KeyDeviceGroupKey, KeyRandomPassword}

// Device reads username's device: nil unless all three values are there
// (Amplify's rule).
func (s deviceStore) Device(ctx context.Context, username string) (*signin.Device, error) {
	var vals [len(deviceKeys)]string
	for i, name := range deviceKeys {
		v, ok, err := s.m.cfg.Storage.Get(ctx, s.m.key(username, name))
		if err != nil {
			return nil, err
		}
		if !ok || v == "" {
			return nil, nil
		}
		vals[i] = v
	}
	return &signin.Device{Key: vals[0], GroupKey: vals[1], Password: vals[2]}, nil
}

// SaveDevice keeps d as username's device, replacing any other.
func (s deviceStore) SaveDevice(ctx context.Context, username string, d signin.Device) error {
	s.m.wmu.Lock()
	defer s.m.wmu.Unlock()
	for i, v := range [len(deviceKeys)]string{d.Key, d.GroupKey, d.Password} {
		if err := s.m.cfg.Storage.Set(ctx, s.m.key(username, deviceKeys[i]), v); err != nil {
			return err
		}
	}
	return nil
}

// ForgetDevice removes username's device.
func (s deviceStore) ForgetDevice(ctx context.Context, username string) error {
	s.m.wmu.Lock()
	defer s.m.wmu.Unlock()
	for _, name := range deviceKeys {
		if err := s.m.cfg.Storage.Remove(ctx, s.m.key(username, name)); err != nil {
			return err
		}
	}
	return nil
}

// CurrentDevice returns the signed-in user's username and kept device with
// a fresh access token for the device calls (ErrUnauthenticated when no one
// is signed in); d is nil when the user has no kept device.
func (m *Manager) CurrentDevice(ctx context.Context) (username, accessToken string, d *signin.Device, err error) {
	t, err := m.Fresh(ctx, false)
	if err != nil {
		return "", "", nil, err
	}
	if t == nil {
		return "", "", nil, ErrUnauthenticated
	}
	if d, err = m.Devices().Device(ctx, t.Username); err != nil {
		return "", "", nil, err
	}
	return t.Username, t.AccessToken.Raw, d, nil
}
