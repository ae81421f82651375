package emulator

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// Remembered devices. A pool with a DeviceConfiguration hands every sign-in
// that names no device a new device key (NewDeviceMetadata); ConfirmDevice
// stores the device's SRP verifier, UpdateDeviceStatus remembers it, and a
// later sign-in that presents the key proves the device with
// DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER (challenge_device_srp.go),
// which, for a remembered device, stands in for MFA.
//
// Devices are stored under the user's sub, never under the name the user
// typed, so an alias, another letter case or a renamed alias finds the same
// devices, and a device key of another user is simply not there.

// bucketDevices holds devices: poolID \x00 sub \x00 deviceKey -> deviceRecord.
var bucketDevices = []byte("devices")

// maxDevicesPerUser bounds one user's device records. Every sign-in without
// a device key makes one (unconfirmed until ConfirmDevice), so past the
// bound the oldest unconfirmed record goes first, then the least recently
// used device, as Cognito's own tracked devices age out.
const maxDevicesPerUser = 100

// maxDevicesResult is ListDevices' and AdminListDevices' largest Limit.
const maxDevicesResult = 60

// Remembered statuses, as Cognito names them.
const (
	deviceRemembered    = "remembered"
	deviceNotRemembered = "not_remembered"
)

// deviceConfiguration is a pool's DeviceConfiguration. Its presence turns
// device tracking on.
type deviceConfiguration struct {
	// ChallengeRequiredOnNewDevice: a remembered device may sign in with
	// device authentication instead of an MFA code; new and not-remembered
	// devices still owe MFA.
	ChallengeRequiredOnNewDevice bool
	// DeviceOnlyRememberedOnUserPrompt: ConfirmDevice leaves the device
	// not remembered (UserConfirmationNecessary) until UpdateDeviceStatus;
	// without it ConfirmDevice remembers the device at once.
	DeviceOnlyRememberedOnUserPrompt bool
}

// SeedDeviceConfiguration is a seed pool's deviceConfiguration, as
// CreateUserPool's DeviceConfiguration.
type SeedDeviceConfiguration struct {
	ChallengeRequiredOnNewDevice     bool `json:"challengeRequiredOnNewDevice,omitempty"`
	DeviceOnlyRememberedOnUserPrompt bool `json:"deviceOnlyRememberedOnUserPrompt,omitempty"`
}

func (s *SeedDeviceConfiguration) config() *deviceConfiguration {
	if s == nil {
		return nil
	}
	c := deviceConfiguration(*s)
	return &c
}

// deviceRecord is one device of one user, as stored.
type deviceRecord struct {
	Key      string
	GroupKey string
	Name     string `json:",omitempty"`
	// Confirmed is set by ConfirmDevice; before it the key was only handed
	// out, and the device is neither listed nor able to sign in.
	Confirmed bool
	Status    string `json:",omitempty"` // remembered | not_remembered
	Salt      string `json:",omitempty"` // hex
	Verifier  string `json:",omitempty"` // hex, v = g^x
	LastIP    string `json:",omitempty"`
	Created   time.Time
	Modified  time.Time
	LastAuth  time.Time
}

// remembered reports whether the device may stand in for MFA.
func (d *deviceRecord) remembered() bool {
	return d.Confirmed && d.Status == deviceRemembered && d.Verifier != ""
}

func (d *deviceRecord) verifier() (srp.Verifier, error) {
	salt, err := srp.ParseHex("salt", d.Salt)
	if err != nil {
		return srp.Verifier{}, err
	}
	v, err := srp.ParseHex("verifier", d.Verifier)
	if err != nil {
		return srp.Verifier{}, err
	}
	return srp.Verifier{Salt: salt, V: v}, nil
}

func devicePrefix(poolID, sub string) string { return poolID + "\x00" + strings.ToLower(sub) + "\x00" }

func deviceStoreKey(poolID, sub, key string) string { return devicePrefix(poolID, sub) + key }

// device reads one device of a user, or nil.
func (t *txn) device(poolID, sub, key string) (*deviceRecord, error) {
	if key == "" {
		return nil, nil
	}
	var d deviceRecord
	ok, err := t.get(bucketDevices, deviceStoreKey(poolID, sub, key), &d)
	if err != nil || !ok {
		return nil, err
	}
	return &d, nil
}

func (t *txn) putDevice(poolID, sub string, d *deviceRecord) error {
	return t.put(bucketDevices, deviceStoreKey(poolID, sub, d.Key), d)
}

func (t *txn) deleteDevice(poolID, sub, key string) error {
	return t.del(bucketDevices, deviceStoreKey(poolID, sub, key))
}

// devices lists a user's devices in key order.
func (t *txn) devices(poolID, sub string) ([]*deviceRecord, error) {
	var out []*deviceRecord
	err := t.scan(bucketDevices, devicePrefix(poolID, sub), func(_, v []byte) (bool, error) {
		var d deviceRecord
		if err := json.Unmarshal(v, &d); err != nil {
			return false, err
		}
		out = append(out, &d)
		return true, nil
	})
	return out, err
}

// deleteDevices removes every device of a user (AdminDeleteUser, DeleteUser).
func (t *txn) deleteDevices(poolID, sub string) error {
	ds, err := t.devices(poolID, sub)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if err := t.deleteDevice(poolID, sub, d.Key); err != nil {
			return err
		}
	}
	return nil
}

// makeRoomForDevice drops the user's least valuable device records until
// one more fits under maxDevicesPerUser.
func (t *txn) makeRoomForDevice(poolID, sub string) error {
	ds, err := t.devices(poolID, sub)
	if err != nil {
		return err
	}
	for len(ds) >= maxDevicesPerUser {
		drop := 0
		for i, d := range ds {
			o := ds[drop]
			if d.Confirmed != o.Confirmed {
				if !d.Confirmed {
					drop = i
				}
				continue
			}
			if d.LastAuth.Before(o.LastAuth) {
				drop = i
			}
		}
		if err := t.deleteDevice(poolID, sub, ds[drop].Key); err != nil {
			return err
		}
		ds = append(ds[:drop], ds[drop+1:]...)
	}
	return nil
}

// newDeviceKey is Cognito's device key shape, <region>_<uuid>, in the
// pool's region.
func newDeviceKey(poolID string) string {
	region, _, _ := strings.Cut(poolID, "_")
	return region + "_" + newUUID()
}

// newDeviceGroupKey is an opaque group key like Cognito's ("-" and nine
// URL-safe characters). Clients hash it into the device secret.
func newDeviceGroupKey() string {
	return "-" + base64.RawURLEncoding.EncodeToString(randomBytes(9))[:9]
}

// newDeviceMetadata is AuthenticationResult's NewDeviceMetadata.
type newDeviceMetadata struct {
	DeviceKey      string
	DeviceGroupKey string
}

// issueDevice records a new, unconfirmed device for the user of a sign-in
// that named none, in a pool that tracks devices.
func (e *Emulator) issueDevice(ctx context.Context, p *poolRecord, u *userRecord) (*newDeviceMetadata, error) {
	now := e.now().UTC()
	d := &deviceRecord{Key: newDeviceKey(p.ID), GroupKey: newDeviceGroupKey(), LastIP: clientIP(ctx),
		Created: now, Modified: now, LastAuth: now}
	err := e.store.update(func(t *txn) error {
		if err := t.makeRoomForDevice(p.ID, u.Sub); err != nil {
			return err
		}
		return t.putDevice(p.ID, u.Sub, d)
	})
	if err != nil {
		return nil, err
	}
	return &newDeviceMetadata{DeviceKey: d.Key, DeviceGroupKey: d.GroupKey}, nil
}

// errDeviceNotFound is Cognito's answer for a device key the user does not
// have (forgotten, another user's, never issued). Clients match on it to
// drop their stored device and sign in again without it.
func errDeviceNotFound() error { return errf("ResourceNotFoundException", "Device does not exist.") }

// deviceType is the wire DeviceType.
type deviceType struct {
	DeviceKey                   string
	DeviceAttributes            []attributeJSON
	DeviceCreateDate            epoch
	DeviceLastModifiedDate      epoch
	DeviceLastAuthenticatedDate epoch
}

// deviceView shows a device as GetDevice and ListDevices do: its status,
// name, ARN, owner, last IP and remembered status as attributes.
func (e *Emulator) deviceView(p *poolRecord, u *userRecord, d *deviceRecord) deviceType {
	owner := u.Username + "." + p.ID
	attrs := []attributeJSON{{Name: "device_status", Value: "valid"}}
	if d.Name != "" {
		attrs = append(attrs, attributeJSON{Name: "device_name", Value: d.Name})
	}
	attrs = append(attrs,
		attributeJSON{Name: "dev:device_arn", Value: "arn:aws:cognito-idp:" + e.cfg.Region + ":000000000000:owner/" + owner + "/device/" + d.Key},
		attributeJSON{Name: "dev:device_owner", Value: owner})
	if d.LastIP != "" {
		attrs = append(attrs, attributeJSON{Name: "last_ip_used", Value: d.LastIP})
	}
	status := d.Status
	if status == "" {
		status = deviceNotRemembered
	}
	attrs = append(attrs, attributeJSON{Name: "dev:device_remembered_status", Value: status})
	return deviceType{DeviceKey: d.Key, DeviceAttributes: attrs, DeviceCreateDate: epoch(d.Created),
		DeviceLastModifiedDate: epoch(d.Modified), DeviceLastAuthenticatedDate: epoch(d.LastAuth)}
}

// parseDeviceVerifier reads ConfirmDevice's DeviceSecretVerifierConfig:
// base64 of the big-endian (sign-padded) verifier and salt. The verifier
// must be a group element other than 0 and 1; sizes are bounded by the
// group's.
func parseDeviceVerifier(verifierB64, saltB64 string) (salt, v *big.Int, err error) {
	vb, err1 := base64.StdEncoding.DecodeString(verifierB64)
	sb, err2 := base64.StdEncoding.DecodeString(saltB64)
	if err1 != nil || err2 != nil || len(vb) == 0 || len(sb) == 0 || len(vb) > len(srp.Pad(srp.N())) || len(sb) > 64 {
		return nil, nil, errInvalidParam("DeviceSecretVerifierConfig is not a valid SRP verifier and salt.")
	}
	v, salt = new(big.Int).SetBytes(vb), new(big.Int).SetBytes(sb)
	if v.Cmp(big.NewInt(1)) <= 0 || v.Cmp(srp.N()) >= 0 || salt.Sign() == 0 {
		return nil, nil, errInvalidParam("DeviceSecretVerifierConfig is not a valid SRP verifier and salt.")
	}
	return salt, v, nil
}

// clientIPKey carries the caller's address from the HTTP request to the
// operations (last_ip_used).
type clientIPKey struct{}

// withClientIP puts r's remote address on ctx.
func withClientIP(ctx context.Context, r *http.Request) context.Context {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if net.ParseIP(host) == nil {
		return ctx
	}
	return context.WithValue(ctx, clientIPKey{}, host)
}

func clientIP(ctx context.Context) string {
	s, _ := ctx.Value(clientIPKey{}).(string)
	return s
}

// refreshDeviceOK reports whether a refresh may use a refresh token: one
// issued to a sign-in with a device is bound to it, as Cognito binds it.
// The refresh must name that device (DEVICE_KEY, DeviceKey), and the
// device must still be the user's and confirmed: a forgotten device's
// refresh tokens stop working, and so do those of a device never confirmed.
func (t *txn) refreshDeviceOK(poolID string, rec refreshRecord, given string) (bool, error) {
	if rec.DeviceKey == "" {
		return true, nil
	}
	if given != rec.DeviceKey {
		return false, nil
	}
	d, err := t.device(poolID, rec.Sub, rec.DeviceKey)
	if err != nil {
		return false, err
	}
	return d != nil && d.Confirmed, nil
}
