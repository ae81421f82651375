package emulator

import (
	"context"
	"regexp"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// ConfirmDevice, UpdateDeviceStatus, GetDevice, ListDevices, ForgetDevice
// (by access token) and AdminGetDevice, AdminListDevices,
// AdminUpdateDeviceStatus, AdminForgetDevice (SigV4-signed, by pool and
// user). The model and store are in devices.go.
//
// As Cognito answers them (AWS's Android SDK's integration tests against
// the service, Amplify's fetchDevices "devices that have been remembered"),
// the user's own GetDevice and ListDevices see remembered devices only;
// the Admin operations see every confirmed device with its status.

var deviceKeyPattern = regexp.MustCompile(`^[\w-]+_[0-9a-f-]+$`)

func (v *validation) deviceKey(key string) {
	v.required("deviceKey", key != "")
	v.length("deviceKey", key, 1, 55)
	if key != "" && len(key) <= 55 && !deviceKeyPattern.MatchString(key) {
		*v = append(*v, "Value at 'deviceKey' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-f-]+")
	}
}

func (v *validation) rememberedStatus(s string) {
	v.enum("deviceRememberedStatus", s, deviceRemembered, deviceNotRemembered)
}

// devicePage is ListDevices' and AdminListDevices' paging.
type devicePage struct {
	Limit           *int
	PaginationToken string
}

func (r devicePage) check(v *validation) {
	if r.Limit != nil {
		v.rangeInt("limit", *r.Limit, 0, maxDevicesResult)
	}
}

func (r devicePage) limit() int {
	if r.Limit != nil && *r.Limit > 0 {
		return *r.Limit
	}
	return maxDevicesResult
}

// ConfirmDevice

type confirmDeviceRequest struct {
	AccessToken                string
	DeviceKey                  string
	DeviceName                 string
	DeviceSecretVerifierConfig *struct{ PasswordVerifier, Salt string }
}

func (r confirmDeviceRequest) validate() error {
	var v validation
	v.accessToken(r.AccessToken)
	v.deviceKey(r.DeviceKey)
	v.length("deviceName", r.DeviceName, 1, 1024)
	if c := r.DeviceSecretVerifierConfig; c != nil {
		v.length("deviceSecretVerifierConfig.passwordVerifier", c.PasswordVerifier, 0, 131072)
		v.length("deviceSecretVerifierConfig.salt", c.Salt, 0, 131072)
	}
	return v.err()
}

type confirmDeviceResponse struct {
	UserConfirmationNecessary bool
}

// confirmDevice stores the verifier of a device key this user was handed
// at sign-in. The device is remembered at once unless the pool leaves that
// to the user (DeviceOnlyRememberedOnUserPrompt), which the answer says.
func (e *Emulator) confirmDevice(_ context.Context, req *confirmDeviceRequest) (*confirmDeviceResponse, error) {
	c := req.DeviceSecretVerifierConfig
	if c == nil || c.PasswordVerifier == "" || c.Salt == "" {
		return nil, errInvalidParam("DeviceSecretVerifierConfig with PasswordVerifier and Salt is required.")
	}
	salt, ver, err := parseDeviceVerifier(c.PasswordVerifier, c.Salt)
	if err != nil {
		return nil, err
	}
	out := &confirmDeviceResponse{}
	err = e.withAccessTokenUser(req.AccessToken, true, func(t *txn, p *poolRecord, u *userRecord) error {
		d, err := t.device(p.ID, u.Sub, req.DeviceKey)
		if err != nil {
			return err
		}
		if d == nil {
			// Cognito's words for a key it did not hand this user.
			return errInvalidParam("Invalid device key given.")
		}
		now := e.now().UTC()
		d.Confirmed, d.Salt, d.Verifier, d.Modified = true, srp.Hex(salt), srp.Hex(ver), now
		if req.DeviceName != "" {
			d.Name = req.DeviceName
		}
		d.Status = deviceRemembered
		if p.Devices != nil && p.Devices.DeviceOnlyRememberedOnUserPrompt {
			d.Status, out.UserConfirmationNecessary = deviceNotRemembered, true
		}
		return t.putDevice(p.ID, u.Sub, d)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateDeviceStatus, AdminUpdateDeviceStatus

type updateDeviceStatusRequest struct {
	AccessToken            string
	DeviceKey              string
	DeviceRememberedStatus string
}

func (r updateDeviceStatusRequest) validate() error {
	var v validation
	v.accessToken(r.AccessToken)
	v.deviceKey(r.DeviceKey)
	v.rememberedStatus(r.DeviceRememberedStatus)
	return v.err()
}

func (e *Emulator) updateDeviceStatus(_ context.Context, req *updateDeviceStatusRequest) (*struct{}, error) {
	err := e.withAccessTokenUser(req.AccessToken, true, func(t *txn, p *poolRecord, u *userRecord) error {
		return e.setDeviceStatus(t, p, u, req.DeviceKey, req.DeviceRememberedStatus)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

type adminDeviceRequest struct {
	adminUserRequest
	DeviceKey string
}

func (r adminDeviceRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.username("username", r.Username)
	v.deviceKey(r.DeviceKey)
	return v.err()
}

type adminUpdateDeviceStatusRequest struct {
	adminDeviceRequest
	DeviceRememberedStatus string
}

func (r adminUpdateDeviceStatusRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.username("username", r.Username)
	v.deviceKey(r.DeviceKey)
	v.rememberedStatus(r.DeviceRememberedStatus)
	return v.err()
}

func (e *Emulator) adminUpdateDeviceStatus(_ context.Context, req *adminUpdateDeviceStatusRequest) (*struct{}, error) {
	err := e.withAdminUser(req.adminUserRequest, true, func(t *txn, p *poolRecord, u *userRecord) error {
		return e.setDeviceStatus(t, p, u, req.DeviceKey, req.DeviceRememberedStatus)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// setDeviceStatus marks a confirmed device remembered or not. Left out,
// the status becomes not_remembered, as Cognito treats a missing status.
func (e *Emulator) setDeviceStatus(t *txn, p *poolRecord, u *userRecord, key, status string) error {
	d, err := confirmedDevice(t, p, u, key)
	if err != nil {
		return err
	}
	if status == "" {
		status = deviceNotRemembered
	}
	d.Status, d.Modified = status, e.now().UTC()
	return t.putDevice(p.ID, u.Sub, d)
}

// confirmedDevice reads a device of u that ConfirmDevice has confirmed;
// any other key is "Device does not exist.".
func confirmedDevice(t *txn, p *poolRecord, u *userRecord, key string) (*deviceRecord, error) {
	d, err := t.device(p.ID, u.Sub, key)
	if err != nil {
		return nil, err
	}
	if d == nil || !d.Confirmed {
		return nil, errDeviceNotFound()
	}
	return d, nil
}

// GetDevice, AdminGetDevice

type deviceRequest struct {
	AccessToken string
	DeviceKey   string
}

func (r deviceRequest) validate() error {
	var v validation
	v.accessToken(r.AccessToken)
	v.deviceKey(r.DeviceKey)
	return v.err()
}

type getDeviceResponse struct {
	Device deviceType
}

func (e *Emulator) getDevice(_ context.Context, req *deviceRequest) (*getDeviceResponse, error) {
	var out *getDeviceResponse
	err := e.withAccessTokenUser(req.AccessToken, false, func(t *txn, p *poolRecord, u *userRecord) error {
		d, err := confirmedDevice(t, p, u, req.DeviceKey)
		if err != nil {
			return err
		}
		if d.Status != deviceRemembered {
			return errDeviceNotFound()
		}
		out = &getDeviceResponse{Device: e.deviceView(p, u, d)}
		return nil
	})
	return out, err
}

func (e *Emulator) adminGetDevice(_ context.Context, req *adminDeviceRequest) (*getDeviceResponse, error) {
	var out *getDeviceResponse
	err := e.withAdminUser(req.adminUserRequest, false, func(t *txn, p *poolRecord, u *userRecord) error {
		d, err := confirmedDevice(t, p, u, req.DeviceKey)
		if err != nil {
			return err
		}
		out = &getDeviceResponse{Device: e.deviceView(p, u, d)}
		return nil
	})
	return out, err
}

// ForgetDevice, AdminForgetDevice

func (e *Emulator) forgetDevice(_ context.Context, req *deviceRequest) (*struct{}, error) {
	err := e.withAccessTokenUser(req.AccessToken, true, func(t *txn, p *poolRecord, u *userRecord) error {
		return forget(t, p, u, req.DeviceKey)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (e *Emulator) adminForgetDevice(_ context.Context, req *adminDeviceRequest) (*struct{}, error) {
	err := e.withAdminUser(req.adminUserRequest, true, func(t *txn, p *poolRecord, u *userRecord) error {
		return forget(t, p, u, req.DeviceKey)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// forget deletes a device: its key no longer signs in ("Device does not
// exist."), and the next sign-in without it gets a new one.
func forget(t *txn, p *poolRecord, u *userRecord, key string) error {
	if _, err := confirmedDevice(t, p, u, key); err != nil {
		return err
	}
	return t.deleteDevice(p.ID, u.Sub, key)
}

// ListDevices, AdminListDevices

type listDevicesRequest struct {
	AccessToken string
	devicePage
}

func (r listDevicesRequest) validate() error {
	var v validation
	v.accessToken(r.AccessToken)
	r.check(&v)
	return v.err()
}

type adminListDevicesRequest struct {
	adminUserRequest
	devicePage
}

func (r adminListDevicesRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.username("username", r.Username)
	r.check(&v)
	return v.err()
}

type listDevicesResponse struct {
	Devices         []deviceType
	PaginationToken string `json:",omitempty"`
}

func (e *Emulator) listDevices(_ context.Context, req *listDevicesRequest) (*listDevicesResponse, error) {
	var out *listDevicesResponse
	err := e.withAccessTokenUser(req.AccessToken, false, func(t *txn, p *poolRecord, u *userRecord) (err error) {
		out, err = e.devicePageOf(t, p, u, req.devicePage, true)
		return err
	})
	return out, err
}

func (e *Emulator) adminListDevices(_ context.Context, req *adminListDevicesRequest) (*listDevicesResponse, error) {
	var out *listDevicesResponse
	err := e.withAdminUser(req.adminUserRequest, false, func(t *txn, p *poolRecord, u *userRecord) (err error) {
		out, err = e.devicePageOf(t, p, u, req.devicePage, false)
		return err
	})
	return out, err
}

// devicePageOf lists u's confirmed devices (only the remembered ones when
// rememberedOnly) in key order, one page at a time; the token is the last
// key shown.
func (e *Emulator) devicePageOf(t *txn, p *poolRecord, u *userRecord, page devicePage, rememberedOnly bool) (*listDevicesResponse, error) {
	after, err := decodePageToken(page.PaginationToken, "PaginationToken")
	if err != nil {
		return nil, err
	}
	ds, err := t.devices(p.ID, u.Sub)
	if err != nil {
		return nil, err
	}
	out := &listDevicesResponse{Devices: []deviceType{}}
	last := ""
	for _, d := range ds {
		if !d.Confirmed || rememberedOnly && d.Status != deviceRemembered || after != "" && d.Key <= after {
			continue
		}
		if len(out.Devices) == page.limit() {
			out.PaginationToken = encodePageToken(last)
			break
		}
		out.Devices = append(out.Devices, e.deviceView(p, u, d))
		last = d.Key
	}
	return out, nil
}
