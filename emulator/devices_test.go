package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

const (
	devPool   = "us-east-1_cwDevice01"
	devClient = "deviceclient0000000000001"
	devPass   = "Passw0rd!Dev"
)

// deviceSeed is a pool with email MFA for everyone and device tracking as
// cfg says (nil: off).
func deviceSeed(cfg *SeedDeviceConfiguration) Seed {
	user := func(name, email string) SeedUser {
		return SeedUser{Username: name, Password: devPass, MFA: &SeedUserMFA{Email: true},
			Attributes: map[string]string{"email": email, "email_verified": "true"}}
	}
	return Seed{UserPools: []SeedPool{{
		ID: devPool, Name: "devices", MfaConfiguration: "OPTIONAL", EnabledMfas: []string{"EMAIL_OTP"},
		AliasAttributes: []string{"email"}, CaseSensitive: boolPtr(false), DeviceConfiguration: cfg,
		Clients: []SeedClient{{ID: devClient, Name: "web",
			ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}},
		Users: []SeedUser{user("dana", "dana@example.com"), user("eve", "eve@example.com")},
	}}}
}

func deviceHarness(t *testing.T, cfg *SeedDeviceConfiguration) *harness {
	s := deviceSeed(cfg)
	return newHarness(t, &s)
}

var promptConfig = &SeedDeviceConfiguration{ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true}

// testDevice is what a client keeps of a confirmed device.
type testDevice struct{ key, group, password string }

// passwordStep runs USER_SRP_AUTH up to the PASSWORD_VERIFIER answer, with
// DEVICE_KEY in the answer as clients send it, and returns the reply.
func (h *harness) passwordStep(typed, deviceKey string) response {
	h.t.Helper()
	c, ch := h.srpStart(devClient, typed, nil)
	if ch.str("ChallengeName") != "PASSWORD_VERIFIER" {
		h.t.Fatalf("InitiateAuth(%s) = %d %s", typed, ch.status, ch.raw)
	}
	var extra map[string]string
	if deviceKey != "" {
		extra = map[string]string{"DEVICE_KEY": deviceKey}
	}
	return h.srpAnswer(c, devPool, devClient, devPass, ch, h.clock.Now(), extra)
}

// emailMFA answers EMAIL_OTP with the code in the outbox.
func (h *harness) emailMFA(ch response, username, email string) response {
	h.t.Helper()
	if ch.str("ChallengeName") != "EMAIL_OTP" {
		h.t.Fatalf("got %d %s; want EMAIL_OTP", ch.status, ch.raw)
	}
	return h.respond(devClient, "EMAIL_OTP", ch.str("Session"), map[string]string{"USERNAME": username, "EMAIL_OTP_CODE": h.lastCode(devPool, email)})
}

// confirm makes the device secret and verifier a client makes for
// NewDeviceMetadata and calls ConfirmDevice.
func (h *harness) confirm(done response) (testDevice, response) {
	h.t.Helper()
	key, group := done.str("AuthenticationResult", "NewDeviceMetadata", "DeviceKey"), done.str("AuthenticationResult", "NewDeviceMetadata", "DeviceGroupKey")
	if key == "" || group == "" {
		h.t.Fatalf("no NewDeviceMetadata in %s", done.raw)
	}
	dev := testDevice{key: key, group: group, password: base64.StdEncoding.EncodeToString(randomBytes(40))}
	ver, err := srp.NewVerifier(group, key, dev.password)
	if err != nil {
		h.t.Fatal(err)
	}
	r := h.call("ConfirmDevice", m{"AccessToken": done.str("AuthenticationResult", "AccessToken"), "DeviceKey": key, "DeviceName": "test-browser",
		"DeviceSecretVerifierConfig": m{"PasswordVerifier": base64.StdEncoding.EncodeToString(srp.Pad(ver.V)),
			"Salt": base64.StdEncoding.EncodeToString(srp.Pad(ver.Salt))}}, false)
	return dev, r
}

// deviceSRP answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER for dev
// and returns the last reply.
func (h *harness) deviceSRP(ch response, username string, dev testDevice) response {
	h.t.Helper()
	if ch.str("ChallengeName") != "DEVICE_SRP_AUTH" {
		h.t.Fatalf("got %d %s; want DEVICE_SRP_AUTH", ch.status, ch.raw)
	}
	c, err := srp.NewClient()
	if err != nil {
		h.t.Fatal(err)
	}
	pv := h.respond(devClient, "DEVICE_SRP_AUTH", ch.str("Session"), map[string]string{"USERNAME": username, "DEVICE_KEY": dev.key, "SRP_A": c.A()})
	if pv.str("ChallengeName") != "DEVICE_PASSWORD_VERIFIER" {
		h.t.Fatalf("DEVICE_SRP_AUTH answer = %d %s; want DEVICE_PASSWORD_VERIFIER", pv.status, pv.raw)
	}
	p := func(k string) string { return pv.str("ChallengeParameters", k) }
	claim, err := c.PasswordClaim(srp.ClaimInput{PoolName: dev.group, UserID: dev.key, Password: dev.password,
		Salt: p("SALT"), SRPB: p("SRP_B"), SecretBlock: p("SECRET_BLOCK"), Now: h.clock.Now()})
	if err != nil {
		h.t.Fatal(err)
	}
	return h.respond(devClient, "DEVICE_PASSWORD_VERIFIER", pv.str("Session"), map[string]string{"USERNAME": username,
		"PASSWORD_CLAIM_SECRET_BLOCK": p("SECRET_BLOCK"), "TIMESTAMP": claim.Timestamp, "PASSWORD_CLAIM_SIGNATURE": claim.Signature,
		"DEVICE_KEY": dev.key})
}

// newDevice signs dana in with MFA, confirms the device handed out, and
// returns it with the sign-in's access token.
func (h *harness) newDevice(username, email string) (testDevice, string) {
	h.t.Helper()
	done := h.emailMFA(h.passwordStep(username, ""), username, email)
	dev, r := h.confirm(done)
	if r.status != http.StatusOK {
		h.t.Fatalf("ConfirmDevice = %d %s", r.status, r.raw)
	}
	return dev, done.str("AuthenticationResult", "AccessToken")
}

func accessClaim(t *testing.T, token, name string) any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", token)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(b, &claims); err != nil {
		t.Fatal(err)
	}
	return claims[name]
}

func attrsOf(t *testing.T, dev any) map[string]string {
	t.Helper()
	out := map[string]string{}
	list, _ := dev.(map[string]any)["DeviceAttributes"].([]any)
	for _, a := range list {
		am := a.(map[string]any)
		out[am["Name"].(string)] = am["Value"].(string)
	}
	return out
}

func TestNoDeviceMetadataWithoutDeviceConfiguration(t *testing.T) {
	h := deviceHarness(t, nil)
	done := h.emailMFA(h.passwordStep("dana", ""), "dana", "dana@example.com")
	if done.status != http.StatusOK || done.str("AuthenticationResult", "AccessToken") == "" {
		t.Fatalf("sign-in = %d %s", done.status, done.raw)
	}
	if _, ok := done.body["AuthenticationResult"].(map[string]any)["NewDeviceMetadata"]; ok {
		t.Errorf("NewDeviceMetadata in a pool without DeviceConfiguration: %s", done.raw)
	}
	// A DEVICE_KEY is ignored where devices are not tracked.
	ch := h.passwordStep("dana", "us-east-1_00000000-0000-0000-0000-000000000000")
	if ch.str("ChallengeName") != "EMAIL_OTP" {
		t.Errorf("sign-in with a device key, tracking off = %d %s; want EMAIL_OTP", ch.status, ch.raw)
	}
}

// TestRememberedDeviceFlow walks the whole life of a device in a pool that
// lets the user choose: new device and MFA, confirmed but not remembered
// (MFA and then the device's proof), remembered (the proof instead of MFA),
// forgotten (refused, then MFA again without it).
func TestRememberedDeviceFlow(t *testing.T) {
	h := deviceHarness(t, promptConfig)
	done := h.emailMFA(h.passwordStep("dana", ""), "dana", "dana@example.com")
	key := done.str("AuthenticationResult", "NewDeviceMetadata", "DeviceKey")
	if !regexp.MustCompile(`^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`).MatchString(key) {
		t.Fatalf("DeviceKey = %q; want us-east-1_<uuid>", key)
	}
	if got := accessClaim(t, done.str("AuthenticationResult", "AccessToken"), "device_key"); got != key {
		t.Errorf("access token device_key = %v; want %s", got, key)
	}
	access := done.str("AuthenticationResult", "AccessToken")
	// Not yet confirmed: not listed, not gettable.
	if r := h.call("ListDevices", m{"AccessToken": access}, false); r.status != 200 || len(r.body["Devices"].([]any)) != 0 {
		t.Errorf("ListDevices before ConfirmDevice = %d %s; want no devices", r.status, r.raw)
	}
	if r := h.call("GetDevice", m{"AccessToken": access, "DeviceKey": key}, false); r.errType() != "ResourceNotFoundException" {
		t.Errorf("GetDevice before ConfirmDevice = %d %s; want ResourceNotFoundException", r.status, r.raw)
	}
	h.clock.Advance(time.Minute)
	dev, r := h.confirm(done)
	if r.status != http.StatusOK || r.body["UserConfirmationNecessary"] != true {
		t.Fatalf("ConfirmDevice = %d %s; want UserConfirmationNecessary true (DeviceOnlyRememberedOnUserPrompt)", r.status, r.raw)
	}
	// Confirmed, not remembered: the Admin operations see it, the user's
	// own GetDevice and ListDevices show remembered devices only.
	if r := h.call("GetDevice", m{"AccessToken": access, "DeviceKey": key}, false); r.errType() != "ResourceNotFoundException" {
		t.Errorf("GetDevice of a device not remembered = %d %s; want ResourceNotFoundException", r.status, r.raw)
	}
	if r := h.call("ListDevices", m{"AccessToken": access}, false); r.status != 200 || len(r.body["Devices"].([]any)) != 0 {
		t.Errorf("ListDevices with a device not remembered = %d %s; want none", r.status, r.raw)
	}
	got := h.admin("AdminGetDevice", m{"UserPoolId": devPool, "Username": "dana", "DeviceKey": key})
	attrs := attrsOf(t, got.body["Device"])
	want := map[string]string{"device_status": "valid", "device_name": "test-browser", "dev:device_remembered_status": "not_remembered",
		"dev:device_owner": "dana." + devPool, "last_ip_used": "127.0.0.1",
		"dev:device_arn": "arn:aws:cognito-idp:us-east-1:000000000000:owner/dana." + devPool + "/device/" + key}
	for k, v := range want {
		if attrs[k] != v {
			t.Errorf("GetDevice attribute %s = %q; want %q", k, attrs[k], v)
		}
	}
	d := got.body["Device"].(map[string]any)
	created, modified := d["DeviceCreateDate"].(float64), d["DeviceLastModifiedDate"].(float64)
	if created != float64(h.clock.Now().Add(-time.Minute).Unix()) || modified != float64(h.clock.Now().Unix()) {
		t.Errorf("DeviceCreateDate, DeviceLastModifiedDate = %v, %v; want the sign-in's time and ConfirmDevice's", created, modified)
	}

	// Confirmed, not remembered: only tracked. MFA, and no device proof.
	h.clock.Advance(time.Minute)
	fin := h.emailMFA(h.passwordStep("dana", dev.key), "dana", "dana@example.com")
	if fin.str("AuthenticationResult", "AccessToken") == "" {
		t.Fatalf("sign-in with a device not remembered = %d %s; want tokens after MFA", fin.status, fin.raw)
	}
	if _, ok := fin.body["AuthenticationResult"].(map[string]any)["NewDeviceMetadata"]; ok {
		t.Errorf("NewDeviceMetadata on a sign-in that presented its device: %s", fin.raw)
	}
	if got := accessClaim(t, fin.str("AuthenticationResult", "AccessToken"), "device_key"); got != dev.key {
		t.Errorf("device_key claim = %v; want %s", got, dev.key)
	}
	tracked := h.admin("AdminGetDevice", m{"UserPoolId": devPool, "Username": "dana", "DeviceKey": key})
	if last := tracked.body["Device"].(map[string]any)["DeviceLastAuthenticatedDate"]; last != float64(h.clock.Now().Unix()) {
		t.Errorf("a tracked device's DeviceLastAuthenticatedDate = %v; want its sign-in's time %d", last, h.clock.Now().Unix())
	}

	// Remembered: no MFA, the device's proof instead.
	h.clock.Advance(time.Minute)
	if r := h.call("UpdateDeviceStatus", m{"AccessToken": access, "DeviceKey": key, "DeviceRememberedStatus": "remembered"}, false); r.status != 200 {
		t.Fatalf("UpdateDeviceStatus = %d %s", r.status, r.raw)
	}
	if r := h.call("ListDevices", m{"AccessToken": access}, false); r.status != 200 || len(r.body["Devices"].([]any)) != 1 ||
		attrsOf(t, r.body["Devices"].([]any)[0])["dev:device_remembered_status"] != "remembered" {
		t.Errorf("ListDevices with the device remembered = %d %s; want it, remembered", r.status, r.raw)
	}
	outbox := len(h.outboxFor(devPool, "dana@example.com"))
	fin = h.deviceSRP(h.passwordStep("dana", dev.key), "dana", dev)
	if fin.str("AuthenticationResult", "AccessToken") == "" {
		t.Fatalf("remembered device sign-in = %d %s", fin.status, fin.raw)
	}
	if n := len(h.outboxFor(devPool, "dana@example.com")); n != outbox {
		t.Errorf("a remembered device's sign-in sent %d MFA codes; want none", n-outbox)
	}
	got = h.call("GetDevice", m{"AccessToken": access, "DeviceKey": key}, false)
	if last := got.body["Device"].(map[string]any)["DeviceLastAuthenticatedDate"]; last != float64(h.clock.Now().Unix()) {
		t.Errorf("DeviceLastAuthenticatedDate = %v; want the device sign-in's time %d", last, h.clock.Now().Unix())
	}
	// The device is the user's, not the typed name's: the email alias and
	// another letter case find it too.
	fin = h.deviceSRP(h.passwordStep("DANA@example.com", dev.key), "dana", dev)
	if fin.str("AuthenticationResult", "AccessToken") == "" {
		t.Fatalf("remembered device sign-in by alias = %d %s", fin.status, fin.raw)
	}

	// A wrong device password ends the sign-in.
	wrong := dev
	wrong.password = "not-the-device-password"
	if r := h.deviceSRP(h.passwordStep("dana", dev.key), "dana", wrong); r.errType() != "NotAuthorizedException" {
		t.Errorf("wrong device verifier = %d %s; want NotAuthorizedException", r.status, r.raw)
	}
	// So does another device's group key.
	wrong = dev
	wrong.group = "-AAAAAAAAA"
	if r := h.deviceSRP(h.passwordStep("dana", dev.key), "dana", wrong); r.errType() != "NotAuthorizedException" {
		t.Errorf("wrong device group key = %d %s; want NotAuthorizedException", r.status, r.raw)
	}

	// Not remembered any more: MFA again.
	if r := h.call("UpdateDeviceStatus", m{"AccessToken": access, "DeviceKey": key, "DeviceRememberedStatus": "not_remembered"}, false); r.status != 200 {
		t.Fatalf("UpdateDeviceStatus not_remembered = %d %s", r.status, r.raw)
	}
	if ch := h.passwordStep("dana", dev.key); ch.str("ChallengeName") != "EMAIL_OTP" {
		t.Errorf("sign-in with a device no longer remembered = %d %s; want EMAIL_OTP", ch.status, ch.raw)
	}

	// Forgotten: "Device does not exist.", and the same answer without the
	// key (as the clients retry) gets MFA again.
	if r := h.call("ForgetDevice", m{"AccessToken": access, "DeviceKey": key}, false); r.status != 200 {
		t.Fatalf("ForgetDevice = %d %s", r.status, r.raw)
	}
	c, ch0 := h.srpStart(devClient, "dana", nil)
	r = h.srpAnswer(c, devPool, devClient, devPass, ch0, h.clock.Now(), map[string]string{"DEVICE_KEY": dev.key})
	if r.errType() != "ResourceNotFoundException" || r.message() != "Device does not exist." {
		t.Fatalf("sign-in with a forgotten device = %d %s; want ResourceNotFoundException Device does not exist.", r.status, r.raw)
	}
	r = h.srpAnswer(c, devPool, devClient, devPass, ch0, h.clock.Now(), nil)
	if r.str("ChallengeName") != "EMAIL_OTP" {
		t.Fatalf("the same answer without DEVICE_KEY = %d %s; want EMAIL_OTP", r.status, r.raw)
	}
	if r := h.call("ForgetDevice", m{"AccessToken": access, "DeviceKey": key}, false); r.errType() != "ResourceNotFoundException" {
		t.Errorf("ForgetDevice twice = %d %s; want ResourceNotFoundException", r.status, r.raw)
	}
}

func (h *harness) outboxFor(poolID, username string) []outboxMessage {
	h.t.Helper()
	_, msgs := h.outbox(poolID, username)
	return msgs
}

func TestConfirmDeviceRemembersWithoutPrompt(t *testing.T) {
	h := deviceHarness(t, &SeedDeviceConfiguration{ChallengeRequiredOnNewDevice: true})
	done := h.emailMFA(h.passwordStep("dana", ""), "dana", "dana@example.com")
	dev, r := h.confirm(done)
	if r.status != http.StatusOK || r.body["UserConfirmationNecessary"] != false {
		t.Fatalf("ConfirmDevice = %d %s; want UserConfirmationNecessary false", r.status, r.raw)
	}
	fin := h.deviceSRP(h.passwordStep("dana", dev.key), "dana", dev)
	if fin.str("AuthenticationResult", "AccessToken") == "" {
		t.Fatalf("sign-in with an always-remembered device = %d %s", fin.status, fin.raw)
	}
}

// Without ChallengeRequiredOnNewDevice a remembered device is tracked and
// proves itself, but does not stand in for MFA.
func TestRememberedDeviceStillOwesMFAWithoutChallengeRequiredOnNewDevice(t *testing.T) {
	h := deviceHarness(t, &SeedDeviceConfiguration{})
	dev, _ := h.newDevice("dana", "dana@example.com")
	ch := h.passwordStep("dana", dev.key)
	if ch.str("ChallengeName") != "EMAIL_OTP" {
		t.Fatalf("sign-in = %d %s; want EMAIL_OTP", ch.status, ch.raw)
	}
	fin := h.deviceSRP(h.emailMFA(ch, "dana", "dana@example.com"), "dana", dev)
	if fin.str("AuthenticationResult", "AccessToken") == "" {
		t.Fatalf("device sign-in = %d %s", fin.status, fin.raw)
	}
}

func TestDeviceOfAnotherUserIsRefused(t *testing.T) {
	h := deviceHarness(t, promptConfig)
	dev, access := h.newDevice("dana", "dana@example.com")
	if r := h.call("UpdateDeviceStatus", m{"AccessToken": access, "DeviceKey": dev.key, "DeviceRememberedStatus": "remembered"}, false); r.status != 200 {
		t.Fatalf("UpdateDeviceStatus = %d %s", r.status, r.raw)
	}
	if r := h.passwordStep("eve", dev.key); r.errType() != "ResourceNotFoundException" || r.message() != "Device does not exist." {
		t.Errorf("eve presenting dana's device = %d %s; want Device does not exist.", r.status, r.raw)
	}
	eveDone := h.emailMFA(h.passwordStep("eve", ""), "eve", "eve@example.com")
	eveAccess := eveDone.str("AuthenticationResult", "AccessToken")
	for _, op := range []string{"GetDevice", "ForgetDevice"} {
		if r := h.call(op, m{"AccessToken": eveAccess, "DeviceKey": dev.key}, false); r.errType() != "ResourceNotFoundException" {
			t.Errorf("%s of another user's device = %d %s; want ResourceNotFoundException", op, r.status, r.raw)
		}
	}
	if r := h.call("UpdateDeviceStatus", m{"AccessToken": eveAccess, "DeviceKey": dev.key, "DeviceRememberedStatus": "not_remembered"}, false); r.errType() != "ResourceNotFoundException" {
		t.Errorf("UpdateDeviceStatus of another user's device = %d %s; want ResourceNotFoundException", r.status, r.raw)
	}
	// Nor can eve confirm dana's key with her own token.
	ver, _ := srp.NewVerifier(dev.group, dev.key, "x")
	r := h.call("ConfirmDevice", m{"AccessToken": eveAccess, "DeviceKey": dev.key, "DeviceSecretVerifierConfig": m{
		"PasswordVerifier": base64.StdEncoding.EncodeToString(srp.Pad(ver.V)), "Salt": base64.StdEncoding.EncodeToString(srp.Pad(ver.Salt))}}, false)
	if r.errType() != "InvalidParameterException" || r.message() != "Invalid device key given." {
		t.Errorf("ConfirmDevice of another user's key = %d %s; want InvalidParameterException Invalid device key given.", r.status, r.raw)
	}
	// dana's device is untouched.
	if fin := h.deviceSRP(h.passwordStep("dana", dev.key), "dana", dev); fin.str("AuthenticationResult", "AccessToken") == "" {
		t.Errorf("dana's device after eve's attempts = %d %s", fin.status, fin.raw)
	}
}

func TestAdminDeviceOperations(t *testing.T) {
	h := deviceHarness(t, promptConfig)
	var keys []string
	for i := 0; i < 3; i++ {
		dev, _ := h.newDevice("dana", "dana@example.com")
		keys = append(keys, dev.key)
	}
	// Listed a page at a time, by any name of the user.
	seen := map[string]bool{}
	token := ""
	for page := 0; page < 4; page++ {
		req := m{"UserPoolId": devPool, "Username": "dana@example.com", "Limit": 2}
		if token != "" {
			req["PaginationToken"] = token
		}
		r := h.admin("AdminListDevices", req)
		for _, d := range r.body["Devices"].([]any) {
			seen[d.(map[string]any)["DeviceKey"].(string)] = true
		}
		token = r.str("PaginationToken")
		if token == "" {
			break
		}
	}
	if len(seen) != 3 {
		t.Fatalf("AdminListDevices pages showed %d devices; want 3", len(seen))
	}
	r := h.admin("AdminGetDevice", m{"UserPoolId": devPool, "Username": "dana", "DeviceKey": keys[0]})
	if attrsOf(t, r.body["Device"])["dev:device_remembered_status"] != "not_remembered" {
		t.Errorf("AdminGetDevice = %s", r.raw)
	}
	h.admin("AdminUpdateDeviceStatus", m{"UserPoolId": devPool, "Username": "dana", "DeviceKey": keys[0], "DeviceRememberedStatus": "remembered"})
	r = h.admin("AdminGetDevice", m{"UserPoolId": devPool, "Username": "dana", "DeviceKey": keys[0]})
	if attrsOf(t, r.body["Device"])["dev:device_remembered_status"] != "remembered" {
		t.Errorf("after AdminUpdateDeviceStatus remembered: %s", r.raw)
	}
	h.admin("AdminForgetDevice", m{"UserPoolId": devPool, "Username": "dana", "DeviceKey": keys[0]})
	if r := h.call("AdminGetDevice", m{"UserPoolId": devPool, "Username": "dana", "DeviceKey": keys[0]}, true); r.errType() != "ResourceNotFoundException" {
		t.Errorf("AdminGetDevice after AdminForgetDevice = %d %s", r.status, r.raw)
	}
	if r := h.call("AdminGetDevice", m{"UserPoolId": devPool, "Username": "nobody", "DeviceKey": keys[1]}, true); r.errType() != "UserNotFoundException" {
		t.Errorf("AdminGetDevice of an unknown user = %d %s", r.status, r.raw)
	}
	// Unsigned Admin calls are refused as the other Admin operations are.
	for _, op := range []string{"AdminGetDevice", "AdminListDevices", "AdminUpdateDeviceStatus", "AdminForgetDevice"} {
		if r := h.call(op, m{"UserPoolId": devPool, "Username": "dana", "DeviceKey": keys[1]}, false); r.errType() != "MissingAuthenticationTokenException" {
			t.Errorf("unsigned %s = %d %s; want MissingAuthenticationTokenException", op, r.status, r.raw)
		}
	}
	// Deleting the user deletes the devices.
	h.admin("AdminDeleteUser", m{"UserPoolId": devPool, "Username": "dana"})
	err := h.emu.store.view(func(t *txn) error {
		n := 0
		if err := t.scan(bucketDevices, devPool+"\x00", func(_, _ []byte) (bool, error) { n++; return true, nil }); err != nil {
			return err
		}
		if n != 0 {
			return fmt.Errorf("%d device records left after AdminDeleteUser", n)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestDeviceRequestsAreValidated(t *testing.T) {
	h := deviceHarness(t, promptConfig)
	done := h.emailMFA(h.passwordStep("dana", ""), "dana", "dana@example.com")
	access := done.str("AuthenticationResult", "AccessToken")
	key := done.str("AuthenticationResult", "NewDeviceMetadata", "DeviceKey")
	tests := []struct {
		op, body, wantType, wantIn string
	}{
		{"GetDevice", `{"AccessToken":"` + access + `","DeviceKey":"no-underscore"}`, "InvalidParameterException", "deviceKey"},
		{"GetDevice", `{"AccessToken":"` + access + `"}`, "InvalidParameterException", "deviceKey"},
		{"GetDevice", `{"DeviceKey":"` + key + `"}`, "InvalidParameterException", "accessToken"},
		{"GetDevice", `{"AccessToken":"garbage","DeviceKey":"` + key + `"}`, "NotAuthorizedException", ""},
		{"ListDevices", `{"AccessToken":"` + access + `","Limit":61}`, "InvalidParameterException", "limit"},
		{"ListDevices", `{"AccessToken":"` + access + `","PaginationToken":"!!"}`, "InvalidParameterException", "PaginationToken"},
		{"UpdateDeviceStatus", `{"AccessToken":"` + access + `","DeviceKey":"` + key + `","DeviceRememberedStatus":"forever"}`, "InvalidParameterException", "deviceRememberedStatus"},
		{"UpdateDeviceStatus", `{"AccessToken":"` + access + `","DeviceKey":"` + key + `","DeviceRememberedStatus":"remembered"}`, "ResourceNotFoundException", "Device does not exist."},
		{"ConfirmDevice", `{"AccessToken":"` + access + `","DeviceKey":"` + key + `"}`, "InvalidParameterException", "DeviceSecretVerifierConfig"},
		{"ConfirmDevice", `{"AccessToken":"` + access + `","DeviceKey":"` + key + `","DeviceSecretVerifierConfig":{"PasswordVerifier":"not base64!","Salt":"AAEC"}}`, "InvalidParameterException", "DeviceSecretVerifierConfig"},
		{"ConfirmDevice", `{"AccessToken":"` + access + `","DeviceKey":"` + key + `","DeviceSecretVerifierConfig":{"PasswordVerifier":"AQ==","Salt":"AAEC"}}`, "InvalidParameterException", "DeviceSecretVerifierConfig"},
		{"ConfirmDevice", `{"AccessToken":"` + access + `","DeviceKey":"` + key + `","DeviceSecretVerifierConfig":"x"}`, "SerializationException", ""},
		{"ConfirmDevice", `{"AccessToken":"` + access + `","DeviceKey":"us-east-1_00000000-0000-0000-0000-000000000000","DeviceSecretVerifierConfig":{"PasswordVerifier":"Ag==","Salt":"AAEC"}}`, "InvalidParameterException", "Invalid device key given."},
		{"AdminListDevices", `{"UserPoolId":"` + devPool + `","Username":"dana","Limit":-1}`, "InvalidParameterException", "limit"},
		{"AdminGetDevice", `{"UserPoolId":"bad","Username":"dana","DeviceKey":"` + key + `"}`, "InvalidParameterException", "userPoolId"},
	}
	for _, tt := range tests {
		r := h.rawCall(tt.op, []byte(tt.body), strings.HasPrefix(tt.op, "Admin"))
		if r.errType() != tt.wantType || !strings.Contains(r.message(), tt.wantIn) {
			t.Errorf("%s %s = %d %s; want %s naming %q", tt.op, tt.body, r.status, r.raw, tt.wantType, tt.wantIn)
		}
	}
	// Device challenges without their keys are refused before any lookup.
	r := h.respond(devClient, "DEVICE_SRP_AUTH", "x", map[string]string{"USERNAME": "dana", "SRP_A": "1"})
	if r.errType() != "InvalidParameterException" || !strings.Contains(r.message(), "DEVICE_KEY") {
		t.Errorf("DEVICE_SRP_AUTH without DEVICE_KEY = %d %s", r.status, r.raw)
	}
	r = h.respond(devClient, "DEVICE_PASSWORD_VERIFIER", "x", map[string]string{"USERNAME": "dana", "DEVICE_KEY": key,
		"PASSWORD_CLAIM_SECRET_BLOCK": "AA==", "TIMESTAMP": "x", "PASSWORD_CLAIM_SIGNATURE": "x"})
	if r.errType() != "NotAuthorizedException" {
		t.Errorf("DEVICE_PASSWORD_VERIFIER with an unknown session = %d %s", r.status, r.raw)
	}
}

// A device challenge answered with a bad SRP_A or another device key
// keeps no secret: refused, as the password step's are.
func TestDeviceSRPRefusesBadA(t *testing.T) {
	h := deviceHarness(t, &SeedDeviceConfiguration{ChallengeRequiredOnNewDevice: true})
	dev, _ := h.newDevice("dana", "dana@example.com")
	for _, tc := range []struct{ a, key, want string }{
		{"0", dev.key, "InvalidParameterException"},
		{srp.Hex(srp.N()), dev.key, "InvalidParameterException"},
		{"zz", dev.key, "InvalidParameterException"},
		{"2", "us-east-1_00000000-0000-0000-0000-000000000000", "ResourceNotFoundException"},
	} {
		ch := h.passwordStep("dana", dev.key)
		if ch.str("ChallengeName") != "DEVICE_SRP_AUTH" {
			t.Fatalf("got %d %s; want DEVICE_SRP_AUTH", ch.status, ch.raw)
		}
		r := h.respond(devClient, "DEVICE_SRP_AUTH", ch.str("Session"), map[string]string{"USERNAME": "dana", "DEVICE_KEY": tc.key, "SRP_A": tc.a})
		if r.errType() != tc.want {
			t.Errorf("DEVICE_SRP_AUTH SRP_A=%.8s key=%s = %d %s; want %s", tc.a, tc.key, r.status, r.raw, tc.want)
		}
	}
}

func TestPoolDeviceConfiguration(t *testing.T) {
	h := deviceHarness(t, nil)
	r := h.admin("CreateUserPool", m{"PoolName": "dev", "DeviceConfiguration": m{"ChallengeRequiredOnNewDevice": true}})
	id := r.str("UserPool", "Id")
	dc, _ := r.body["UserPool"].(map[string]any)["DeviceConfiguration"].(map[string]any)
	if dc["ChallengeRequiredOnNewDevice"] != true || dc["DeviceOnlyRememberedOnUserPrompt"] != false {
		t.Errorf("CreateUserPool DeviceConfiguration = %v", dc)
	}
	h.admin("UpdateUserPool", m{"UserPoolId": id, "DeviceConfiguration": m{"DeviceOnlyRememberedOnUserPrompt": true}})
	r = h.admin("DescribeUserPool", m{"UserPoolId": id})
	dc, _ = r.body["UserPool"].(map[string]any)["DeviceConfiguration"].(map[string]any)
	if dc["ChallengeRequiredOnNewDevice"] != false || dc["DeviceOnlyRememberedOnUserPrompt"] != true {
		t.Errorf("DescribeUserPool after UpdateUserPool DeviceConfiguration = %v", dc)
	}
	// UpdateUserPool without it turns device tracking off, as Cognito resets
	// what an update leaves out.
	h.admin("UpdateUserPool", m{"UserPoolId": id})
	r = h.admin("DescribeUserPool", m{"UserPoolId": id})
	if _, ok := r.body["UserPool"].(map[string]any)["DeviceConfiguration"]; ok {
		t.Errorf("DeviceConfiguration after an UpdateUserPool without it: %s", r.raw)
	}
}

// Every sign-in without a device key adds a record; one user's records stay
// bounded, and confirmed devices outlive unconfirmed ones.
func TestDeviceRecordsAreBounded(t *testing.T) {
	h := deviceHarness(t, promptConfig)
	dev, _ := h.newDevice("dana", "dana@example.com")
	var p *poolRecord
	var u *userRecord
	err := h.emu.store.view(func(t *txn) (err error) {
		if p, err = t.pool(devPool); err != nil {
			return err
		}
		u, err = t.user(devPool, "dana")
		return err
	})
	if err != nil || u == nil {
		t.Fatal(u, err)
	}
	for i := 0; i < maxDevicesPerUser+20; i++ {
		h.clock.Advance(time.Second)
		if _, err := h.emu.issueDevice(t.Context(), p, u); err != nil {
			t.Fatal(err)
		}
	}
	err = h.emu.store.view(func(tx *txn) error {
		ds, err := tx.devices(devPool, u.Sub)
		if err != nil {
			return err
		}
		if len(ds) != maxDevicesPerUser {
			t.Errorf("%d device records; want at most %d", len(ds), maxDevicesPerUser)
		}
		d, err := tx.device(devPool, u.Sub, dev.key)
		if d == nil || err != nil {
			t.Errorf("the confirmed device was dropped before unconfirmed ones (%v)", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// FuzzDeviceOperations throws bodies at the device operations and the
// device challenges: every answer is 200 or a 4xx with a __type, never a
// 500 or a panic.
func FuzzDeviceOperations(f *testing.F) {
	emu, err := New(Config{SigningKey: sharedKey(f)})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = emu.Close() })
	if err := emu.Seed(deviceSeed(promptConfig)); err != nil {
		f.Fatal(err)
	}
	ops := []string{"ConfirmDevice", "UpdateDeviceStatus", "GetDevice", "ListDevices", "ForgetDevice",
		"AdminGetDevice", "AdminListDevices", "AdminUpdateDeviceStatus", "AdminForgetDevice", "RespondToAuthChallenge"}
	for _, seed := range []string{
		`{"AccessToken":"a.b.c","DeviceKey":"us-east-1_0000","DeviceSecretVerifierConfig":{"PasswordVerifier":"AQ==","Salt":"AQ=="}}`,
		`{"AccessToken":"x","DeviceKey":"us-east-1_0000","DeviceRememberedStatus":"remembered"}`,
		`{"UserPoolId":"` + devPool + `","Username":"dana","DeviceKey":"us-east-1_00","Limit":2,"PaginationToken":"YQ"}`,
		`{"ClientId":"` + devClient + `","ChallengeName":"DEVICE_SRP_AUTH","Session":"x","ChallengeResponses":{"USERNAME":"dana","DEVICE_KEY":"k","SRP_A":"2"}}`,
		`{"ClientId":"` + devClient + `","ChallengeName":"DEVICE_PASSWORD_VERIFIER","Session":"x","ChallengeResponses":{"USERNAME":"dana","DEVICE_KEY":"k","PASSWORD_CLAIM_SECRET_BLOCK":"AA==","TIMESTAMP":"t","PASSWORD_CLAIM_SIGNATURE":"s"}}`,
	} {
		for op := range ops {
			f.Add(seed, uint8(op))
		}
	}
	f.Fuzz(func(t *testing.T, body string, op uint8) {
		name := ops[int(op)%len(ops)]
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+name)
		if strings.HasPrefix(name, "Admin") {
			req.Header.Set("Authorization", sigV4)
		}
		w := httptest.NewRecorder()
		emu.ServeHTTP(w, req)
		if w.Code != http.StatusOK && (w.Code < 400 || w.Code >= 500) {
			t.Fatalf("%s %q = %d %s", name, body, w.Code, w.Body)
		}
		if w.Code != http.StatusOK && !bytes.Contains(w.Body.Bytes(), []byte(`"__type"`)) {
			t.Fatalf("%s %q = %d without __type: %s", name, body, w.Code, w.Body)
		}
	})
}

// With device tracking a refresh token belongs to its sign-in's device:
// refreshing needs that device's key, a confirmed device, and stops when
// the device is forgotten, as with Cognito.
func TestRefreshTokenIsBoundToItsDevice(t *testing.T) {
	h := deviceHarness(t, promptConfig)
	done := h.emailMFA(h.passwordStep("dana", ""), "dana", "dana@example.com")
	refresh := done.str("AuthenticationResult", "RefreshToken")
	key := done.str("AuthenticationResult", "NewDeviceMetadata", "DeviceKey")
	viaAuth := func(deviceKey string) response {
		params := m{"REFRESH_TOKEN": refresh}
		if deviceKey != "" {
			params["DEVICE_KEY"] = deviceKey
		}
		return h.call("InitiateAuth", m{"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": devClient, "AuthParameters": params}, false)
	}
	viaGet := func(deviceKey string) response {
		body := m{"RefreshToken": refresh, "ClientId": devClient}
		if deviceKey != "" {
			body["DeviceKey"] = deviceKey
		}
		return h.call("GetTokensFromRefreshToken", body, false)
	}
	refused := func(what string, r response) {
		t.Helper()
		if r.errType() != "NotAuthorizedException" || r.message() != "Invalid Refresh Token" {
			t.Errorf("%s = %d %s; want NotAuthorizedException Invalid Refresh Token", what, r.status, r.raw)
		}
	}
	refused("refresh before ConfirmDevice", viaAuth(key))
	_, r := h.confirm(done)
	wantOK(t, "ConfirmDevice", r)
	refused("REFRESH_TOKEN_AUTH without DEVICE_KEY", viaAuth(""))
	refused("GetTokensFromRefreshToken without DeviceKey", viaGet(""))
	refused("refresh with another device's key", viaAuth("us-east-1_00000000-0000-0000-0000-000000000000"))
	for what, r := range map[string]response{"REFRESH_TOKEN_AUTH": viaAuth(key), "GetTokensFromRefreshToken": viaGet(key)} {
		access := r.str("AuthenticationResult", "AccessToken")
		if access == "" {
			t.Fatalf("%s with the device = %d %s", what, r.status, r.raw)
		}
		if got := accessClaim(t, access, "device_key"); got != key {
			t.Errorf("%s access token device_key = %v; want %s", what, got, key)
		}
	}
	r = h.call("ForgetDevice", m{"AccessToken": done.str("AuthenticationResult", "AccessToken"), "DeviceKey": key}, false)
	wantOK(t, "ForgetDevice", r)
	refused("refresh after ForgetDevice", viaAuth(key))
}

// The Admin sign-in operations serve device authentication as the public
// ones do: ADMIN_USER_PASSWORD_AUTH with DEVICE_KEY, then the device's SRP
// through AdminRespondToAuthChallenge.
func TestAdminSignInWithRememberedDevice(t *testing.T) {
	h := deviceHarness(t, &SeedDeviceConfiguration{ChallengeRequiredOnNewDevice: true})
	dev, _ := h.newDevice("dana", "dana@example.com")
	ch := h.admin("AdminInitiateAuth", m{"UserPoolId": devPool, "ClientId": devClient, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
		"AuthParameters": m{"USERNAME": "dana@example.com", "PASSWORD": devPass, "DEVICE_KEY": dev.key}})
	if ch.str("ChallengeName") != "DEVICE_SRP_AUTH" {
		t.Fatalf("AdminInitiateAuth with a remembered device = %s; want DEVICE_SRP_AUTH", ch.raw)
	}
	c, err := srp.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	respond := func(name, session string, responses map[string]string) response {
		return h.admin("AdminRespondToAuthChallenge", m{"UserPoolId": devPool, "ClientId": devClient, "ChallengeName": name,
			"Session": session, "ChallengeResponses": responses})
	}
	pv := respond("DEVICE_SRP_AUTH", ch.str("Session"), map[string]string{"USERNAME": "dana", "DEVICE_KEY": dev.key, "SRP_A": c.A()})
	p := func(k string) string { return pv.str("ChallengeParameters", k) }
	claim, err := c.PasswordClaim(srp.ClaimInput{PoolName: dev.group, UserID: dev.key, Password: dev.password,
		Salt: p("SALT"), SRPB: p("SRP_B"), SecretBlock: p("SECRET_BLOCK"), Now: h.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	fin := respond("DEVICE_PASSWORD_VERIFIER", pv.str("Session"), map[string]string{"USERNAME": "dana", "DEVICE_KEY": dev.key,
		"PASSWORD_CLAIM_SECRET_BLOCK": p("SECRET_BLOCK"), "TIMESTAMP": claim.Timestamp, "PASSWORD_CLAIM_SIGNATURE": claim.Signature})
	if got := accessClaim(t, fin.str("AuthenticationResult", "AccessToken"), "device_key"); got != dev.key {
		t.Errorf("admin device sign-in: device_key = %v in %s", got, fin.raw)
	}
}
