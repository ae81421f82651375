//go:build !(js && wasm)

package signin

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cognito-wasm/cognito-wasm/emulator"
)

const (
	devPool   = "us-east-1_DevicePool1"
	devApp    = "deviceclient000000000001"
	devSecret = "device-client-secret-0123456789abcdef"
	devAppS   = "deviceclientsecret000001"
	devPass   = "Passw0rd!Dev"
)

// newDeviceEmulator seeds a pool with email MFA for everyone, aliases by
// email, case-insensitive names and device tracking as cfg says.
func newDeviceEmulator(t *testing.T, cfg *emulator.SeedDeviceConfiguration) *emulator.Emulator {
	t.Helper()
	em, err := emulator.New(emulator.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { em.Close() })
	user := func(name, email string) emulator.SeedUser {
		return emulator.SeedUser{Username: name, Password: devPass, MFA: &emulator.SeedUserMFA{Email: true},
			Attributes: map[string]string{"email": email, "email_verified": "true"}}
	}
	insensitive := false
	err = em.Seed(emulator.Seed{UserPools: []emulator.SeedPool{{
		ID: devPool, Name: "devices", MfaConfiguration: "OPTIONAL", EnabledMfas: []string{"EMAIL_OTP"},
		AliasAttributes: []string{"email"}, CaseSensitive: &insensitive, DeviceConfiguration: cfg,
		Clients: []emulator.SeedClient{
			{ID: devApp, Name: "web", ExplicitAuthFlows: allFlows},
			{ID: devAppS, Name: "secretful", Secret: devSecret, ExplicitAuthFlows: allFlows},
		},
		Users: []emulator.SeedUser{user("dana", "dana@example.com"), user("eve", "eve@example.com")},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return em
}

// mapDevices is a DeviceStore in a map, recording the usernames used.
type mapDevices struct {
	mu sync.Mutex
	m  map[string]Device
}

func (s *mapDevices) Device(_ context.Context, u string) (*Device, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.m[u]; ok {
		return &d, nil
	}
	return nil, nil
}

func (s *mapDevices) SaveDevice(_ context.Context, u string, d Device) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]Device{}
	}
	s.m[u] = d
	return nil
}

func (s *mapDevices) ForgetDevice(_ context.Context, u string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, u)
	return nil
}

func (s *mapDevices) users() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for u := range s.m {
		out = append(out, u)
	}
	return out
}

// deviceRun signs username in with devices, answering the email MFA code
// when asked; it reports whether MFA was asked.
func deviceRun(t *testing.T, em *emulator.Emulator, c *Client, devs DeviceStore, flow, username string) (tokens *Tokens, askedMFA bool) {
	t.Helper()
	res, err := c.SignIn(ctxT(t), SignInInput{Username: username, Password: devPass, AuthFlowType: flow, Devices: devs, DeviceName: "test browser"})
	if err != nil {
		t.Fatalf("SignIn(%s, %s) = %v", flow, username, err)
	}
	if !res.IsSignedIn {
		if res.NextStep.SignInStep != StepEmailCode {
			t.Fatalf("SignIn(%s, %s) step = %+v; want the email code or signed in", flow, username, res.NextStep)
		}
		askedMFA = true
		canonical := res.Pending.username
		if res, err = c.ConfirmSignIn(ctxT(t), res.Pending, ConfirmInput{ChallengeResponse: lastCodeIn(t, em, devPool, canonical)}); err != nil || !res.IsSignedIn {
			t.Fatalf("ConfirmSignIn(code) = %+v, %v; want signed in", res, err)
		}
	}
	return res.Tokens, askedMFA
}

func sentChallenges(tr *inProcess) []string {
	var out []string
	for _, s := range tr.Sent() {
		if s.Target != "RespondToAuthChallenge" {
			continue
		}
		var b struct {
			ChallengeName      string
			ChallengeResponses map[string]string
		}
		json.Unmarshal([]byte(s.Body), &b)
		out = append(out, b.ChallengeName)
	}
	return out
}

// TestRememberedDevice: a device is confirmed after the first sign-in,
// kept under the username whatever was typed, and spares MFA on the next
// sign-ins by username, alias or another letter case, through
// DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER, in every flow.
func TestRememberedDevice(t *testing.T) {
	em := newDeviceEmulator(t, &emulator.SeedDeviceConfiguration{ChallengeRequiredOnNewDevice: true})
	for _, app := range []struct{ id, secret string }{{devApp, ""}, {devAppS, devSecret}} {
		t.Run(app.id, func(t *testing.T) {
			c, tr := emuClient(t, em, devPool, app.id, app.secret)
			devs := &mapDevices{}
			// First sign-in by alias: MFA, then a new device, kept under "dana".
			tok, mfa := deviceRun(t, em, c, devs, AuthFlowUserSRP, "Dana@Example.com")
			if !mfa {
				t.Fatal("first sign-in skipped MFA")
			}
			if tok.NewDeviceMetadata == nil || tr.Count("ConfirmDevice") != 1 {
				t.Fatalf("NewDeviceMetadata %+v, ConfirmDevice sent %d times; want a device confirmed once", tok.NewDeviceMetadata, tr.Count("ConfirmDevice"))
			}
			if u := devs.users(); len(u) != 1 || u[0] != "dana" {
				t.Fatalf("devices kept under %v; want only the username dana", u)
			}
			d := devs.m["dana"]
			if d.Key != tok.NewDeviceMetadata.DeviceKey || d.GroupKey != tok.NewDeviceMetadata.DeviceGroupKey || len(d.Password) != 56 {
				t.Fatalf("kept device %+v; want the offered keys and a 40-byte base64 password", d)
			}
			for _, s := range tr.Sent() {
				if s.Target == "ConfirmDevice" && (!strings.Contains(s.Body, `"DeviceName":"test browser"`) || !strings.Contains(s.Body, "PasswordVerifier")) {
					t.Errorf("ConfirmDevice body %s; want the device name and a verifier", s.Body)
				}
			}
			for _, tc := range []struct{ flow, name string }{
				{AuthFlowUserSRP, "dana"}, {AuthFlowUserSRP, "dana@example.com"}, {AuthFlowUserSRP, "DANA"},
				{AuthFlowUserPassword, "dana"},
			} {
				before := len(sentChallenges(tr))
				tok, mfa := deviceRun(t, em, c, devs, tc.flow, tc.name)
				if mfa {
					t.Errorf("%s as %q: asked for MFA with a remembered device", tc.flow, tc.name)
				}
				got := strings.Join(sentChallenges(tr)[before:], ",")
				if !strings.HasSuffix(got, "DEVICE_SRP_AUTH,DEVICE_PASSWORD_VERIFIER") {
					t.Errorf("%s as %q answered %s; want the device's SRP last", tc.flow, tc.name, got)
				}
				if k := claims(t, tok.AccessToken)["device_key"]; k != d.Key {
					t.Errorf("%s as %q: access token device_key %v; want %s", tc.flow, tc.name, k, d.Key)
				}
				if tok.NewDeviceMetadata != nil {
					t.Errorf("%s as %q: a new device offered again", tc.flow, tc.name)
				}
			}
			if tr.Count("ConfirmDevice") != 1 || len(devs.users()) != 1 {
				t.Errorf("ConfirmDevice sent %d times, devices %v; want one device only", tr.Count("ConfirmDevice"), devs.users())
			}
			// Each device proof used its own ephemeral.
			seen := map[string]bool{}
			for _, s := range tr.Sent() {
				var b struct{ ChallengeResponses map[string]string }
				json.Unmarshal([]byte(s.Body), &b)
				if a := b.ChallengeResponses["SRP_A"]; a != "" {
					if seen[a] {
						t.Fatalf("SRP_A %s… sent twice", a[:16])
					}
					seen[a] = true
				}
			}
		})
	}
}

// TestDeviceOnUserPrompt: under DeviceOnlyRememberedOnUserPrompt the
// confirmed device is only tracked (MFA again) until UpdateDeviceStatus
// remembers it; ListDevices shows it; ForgetDevice at Cognito makes the
// next sign-in drop the kept device, answer MFA and keep a new one.
func TestDeviceOnUserPrompt(t *testing.T) {
	em := newDeviceEmulator(t, &emulator.SeedDeviceConfiguration{ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true})
	c, _ := emuClient(t, em, devPool, devApp, "")
	devs := &mapDevices{}
	tok, _ := deviceRun(t, em, c, devs, AuthFlowUserSRP, "dana")
	d := devs.m["dana"]
	if d.Key == "" {
		t.Fatal("no device kept")
	}
	if _, mfa := deviceRun(t, em, c, devs, AuthFlowUserSRP, "dana"); !mfa {
		t.Fatal("a device not yet remembered skipped MFA")
	}
	tok, _ = deviceRun(t, em, c, devs, AuthFlowUserSRP, "dana")
	if err := c.UpdateDeviceStatus(ctxT(t), tok.AccessToken, d.Key, true); err != nil {
		t.Fatalf("UpdateDeviceStatus = %v", err)
	}
	raw, err := c.ListDevices(ctxT(t), tok.AccessToken, 60, "")
	if err != nil || !strings.Contains(string(raw), d.Key) || !strings.Contains(string(raw), `"Name":"device_name","Value":"test browser"`) {
		t.Fatalf("ListDevices = %s, %v; want the remembered device", raw, err)
	}
	tok, mfa := deviceRun(t, em, c, devs, AuthFlowUserSRP, "dana@example.com")
	if mfa {
		t.Fatal("a remembered device did not spare MFA")
	}
	if err := c.ForgetDevice(ctxT(t), tok.AccessToken, d.Key); err != nil {
		t.Fatalf("ForgetDevice = %v", err)
	}
	// SRP meets the forgotten device at PASSWORD_VERIFIER (answered again
	// without it), the password flow in its first leg (signed in again).
	for _, flow := range []string{AuthFlowUserSRP, AuthFlowUserPassword} {
		tok, mfa = deviceRun(t, em, c, devs, flow, "dana")
		if !mfa {
			t.Fatalf("%s: a forgotten device spared MFA", flow)
		}
		nd := devs.m["dana"]
		if nd.Key == "" || nd.Key == d.Key {
			t.Fatalf("%s: kept device after forgetting %+v; want a new one", flow, nd)
		}
		if err := c.UpdateDeviceStatus(ctxT(t), tok.AccessToken, nd.Key, true); err != nil {
			t.Fatal(err)
		}
		if err := c.ForgetDevice(ctxT(t), tok.AccessToken, nd.Key); err != nil {
			t.Fatal(err)
		}
		d = nd
	}
}

// TestDeviceRefused: a wrong device secret is refused at
// DEVICE_PASSWORD_VERIFIER; the password was right, so the engine drops the
// kept device and starts over once without it: the user is asked for MFA
// (not told the password is wrong) and a new device is kept. A refused
// password is never retried. Another user's device is not this user's:
// the engine drops it and signs in with MFA.
func TestDeviceRefused(t *testing.T) {
	em := newDeviceEmulator(t, &emulator.SeedDeviceConfiguration{ChallengeRequiredOnNewDevice: true})
	c, tr := emuClient(t, em, devPool, devApp, "")
	devs := &mapDevices{}
	deviceRun(t, em, c, devs, AuthFlowUserSRP, "dana")
	good := devs.m["dana"]

	t.Run("wrong secret", func(t *testing.T) {
		bad := good
		bad.Password = strings.Repeat("A", 56)
		devs.SaveDevice(ctxT(t), "dana", bad)
		starts := tr.Count("InitiateAuth")
		from := len(sentChallenges(tr))
		_, mfa := deviceRun(t, em, c, devs, AuthFlowUserSRP, "dana")
		if !mfa {
			t.Fatal("signed in without MFA after the device's proof was refused")
		}
		if n := tr.Count("InitiateAuth") - starts; n != 2 {
			t.Errorf("InitiateAuth sent %d times; want 2 (started over once without the device)", n)
		}
		want := []string{ChallengePasswordVf, "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", ChallengePasswordVf, "EMAIL_OTP"}
		if got := sentChallenges(tr)[from:]; !slices.Equal(got, want) {
			t.Errorf("answers %v; want %v", got, want)
		}
		if d := devs.m["dana"]; d.Key == "" || d.Key == bad.Key {
			t.Errorf("kept device %+v; want a new one in place of the refused one", d)
		}

		// A wrong password is refused as such, and not tried again.
		devs.SaveDevice(ctxT(t), "dana", bad)
		starts = tr.Count("InitiateAuth")
		_, err := c.SignIn(ctxT(t), SignInInput{Username: "dana", Password: devPass + "x", Devices: devs})
		if code, msg := apiCode(err); code != "NotAuthorizedException" || msg != "Incorrect username or password." {
			t.Fatalf("SignIn with a wrong password = %v; want NotAuthorizedException", err)
		}
		if n := tr.Count("InitiateAuth") - starts; n != 1 {
			t.Errorf("InitiateAuth sent %d times after a refused password; want 1", n)
		}

		devs.SaveDevice(ctxT(t), "dana", good)
		if _, mfa := deviceRun(t, em, c, devs, AuthFlowUserSRP, "dana"); mfa {
			t.Error("the right secret no longer spares MFA")
		}
	})

	t.Run("another user's device", func(t *testing.T) {
		devs.SaveDevice(ctxT(t), "eve", good) // dana's device, kept as if eve's
		before := tr.Count("RespondToAuthChallenge")
		tok, mfa := deviceRun(t, em, c, devs, AuthFlowUserSRP, "eve")
		if !mfa {
			t.Fatal("eve skipped MFA with dana's device")
		}
		if k := claims(t, tok.AccessToken)["device_key"]; k == good.Key {
			t.Fatalf("eve's token names dana's device")
		}
		if d := devs.m["eve"]; d.Key == good.Key || d.Key == "" {
			t.Errorf("eve's kept device %+v; want her own new one", d)
		}
		if n := tr.Count("RespondToAuthChallenge") - before; n != 3 {
			t.Errorf("%d answers; want PASSWORD_VERIFIER twice (with, then without the device) and the code", n)
		}
		if _, mfa := deviceRun(t, em, c, devs, AuthFlowUserPassword, "dana"); mfa {
			t.Error("dana's own device no longer spares MFA")
		}
	})
}

// TestDeviceAfterMFA: where a device does not stand in for MFA
// (ChallengeRequiredOnNewDevice off), the device proof comes after the
// code, inside ConfirmSignIn, and the tokens name the device.
func TestDeviceAfterMFA(t *testing.T) {
	em := newDeviceEmulator(t, &emulator.SeedDeviceConfiguration{})
	c, tr := emuClient(t, em, devPool, devApp, "")
	devs := &mapDevices{}
	deviceRun(t, em, c, devs, AuthFlowUserSRP, "dana")
	d := devs.m["dana"]
	if d.Key == "" {
		t.Fatal("no device kept")
	}
	before := len(sentChallenges(tr))
	tok, mfa := deviceRun(t, em, c, devs, AuthFlowUserSRP, "dana@example.com")
	if !mfa {
		t.Fatal("MFA skipped where the device does not stand in for it")
	}
	if got := strings.Join(sentChallenges(tr)[before:], ","); got != "PASSWORD_VERIFIER,EMAIL_OTP,DEVICE_SRP_AUTH,DEVICE_PASSWORD_VERIFIER" {
		t.Errorf("answers %s; want the device's proof after the code", got)
	}
	if k := claims(t, tok.AccessToken)["device_key"]; k != d.Key || tok.NewDeviceMetadata != nil {
		t.Errorf("device_key %v, new device %v; want the kept device %s", k, tok.NewDeviceMetadata, d.Key)
	}
}
