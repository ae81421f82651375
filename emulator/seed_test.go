package emulator

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestSeedIdempotent(t *testing.T) {
	h := demoHarness(t)
	// Change alice's password, then seed again: existing users are left alone.
	h.admin("AdminSetUserPassword", m{"UserPoolId": demoPool, "Username": "alice", "Password": "Changed!pass1", "Permanent": true})
	for i := range 2 {
		if err := h.emu.Seed(demoSeed()); err != nil {
			t.Fatalf("Seed() #%d = %v", i+2, err)
		}
	}
	tests := []struct {
		name, pool string
		wantUsers  int
	}{
		{"alias pool", demoPool, 3},
		{"email pool", "us-east-1_cwEmail01", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.admin("ListUsers", m{"UserPoolId": tt.pool})
			if n := len(got.body["Users"].([]any)); n != tt.wantUsers {
				t.Errorf("ListUsers(%s) after reseeding = %d users; want %d", tt.pool, n, tt.wantUsers)
			}
		})
	}
	if res := h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": "Changed!pass1"}); res.str("AuthenticationResult", "IdToken") == "" {
		t.Errorf("reseeding reset alice's password: %s", res.raw)
	}
}

func TestSeedErrors(t *testing.T) {
	h := newHarness(t, nil)
	tests := []struct {
		name    string
		seed    Seed
		wantErr string
	}{
		{"pool without id", Seed{UserPools: []SeedPool{{Name: "x"}}}, "userPools[0]: id is required"},
		{"bad pool id", Seed{UserPools: []SeedPool{{ID: "nounderscore", Name: "x"}}}, "userPoolId"},
		{"client without id", Seed{UserPools: []SeedPool{{ID: "us-east-1_a", Name: "x", Clients: []SeedClient{{Name: "c"}}}}}, "clients[0]: id is required"},
		{"bad flow", Seed{UserPools: []SeedPool{{ID: "us-east-1_a", Name: "x", Clients: []SeedClient{{ID: "c1", Name: "c", ExplicitAuthFlows: []string{"NOPE"}}}}}}, "explicitAuthFlows"},
		{"weak password", Seed{UserPools: []SeedPool{{ID: "us-east-1_a", Name: "x", Users: []SeedUser{{Username: "u", Password: "weak"}}}}}, "Password not long enough"},
		{"bad username", Seed{UserPools: []SeedPool{{ID: "us-east-1_a", Name: "x", Users: []SeedUser{{Username: "a b", Password: "Abcdef1!x"}}}}}, "users[0]"},
		{"one client id in two pools", Seed{UserPools: []SeedPool{{ID: "us-east-1_b", Name: "x", Clients: []SeedClient{{ID: "dup", Name: "c"}}},
			{ID: "us-east-1_a", Name: "y", Clients: []SeedClient{{ID: "dup", Name: "c"}}}}}, "client dup already exists in pool us-east-1_b"},
		{"bad mfaConfiguration", Seed{UserPools: []SeedPool{{ID: "us-east-1_a", Name: "x", MfaConfiguration: "SOMETIMES"}}}, `mfaConfiguration "SOMETIMES"`},
		{"factors with MFA off", Seed{UserPools: []SeedPool{{ID: "us-east-1_a", Name: "x", EnabledMfas: []string{"SMS_MFA"}}}}, "enabledMfas needs mfaConfiguration ON or OPTIONAL"},
		{"unknown factor", Seed{UserPools: []SeedPool{{ID: "us-east-1_a", Name: "x", MfaConfiguration: "ON", EnabledMfas: []string{"VOICE"}}}}, `"VOICE"`},
		{"required custom attribute", Seed{UserPools: []SeedPool{{ID: "us-east-1_a", Name: "x", Schema: []SeedAttribute{{Name: "team", Required: true}}}}}, "Required custom attributes"},
		{"bad first factor", Seed{UserPools: []SeedPool{{ID: "us-east-1_a", Name: "x", SignInPolicy: &SeedSignInPolicy{AllowedFirstAuthFactors: []string{"MAGIC"}}}}}, "allowedFirstAuthFactors"},
		{"bad status", Seed{UserPools: []SeedPool{{ID: "us-east-1_a", Name: "x", Users: []SeedUser{{Username: "u", Password: "Abcdef1!x", Status: "ARCHIVED"}}}}}, `status "ARCHIVED"`},
		{"sms MFA without a phone", Seed{UserPools: []SeedPool{{ID: "us-east-1_a", Name: "x", Users: []SeedUser{{Username: "u", Password: "Abcdef1!x", MFA: &SeedUserMFA{SMS: true}}}}}}, "mfa.sms needs a phone_number"},
		{"bad TOTP secret", Seed{UserPools: []SeedPool{{ID: "us-east-1_a", Name: "x", Users: []SeedUser{{Username: "u", Password: "Abcdef1!x", MFA: &SeedUserMFA{TOTPSecret: "not base32!"}}}}}}, "mfa.totpSecret"},
		{"preferred not enabled", Seed{UserPools: []SeedPool{{ID: "us-east-1_a", Name: "x", Users: []SeedUser{{Username: "u", Password: "Abcdef1!x", MFA: &SeedUserMFA{Preferred: "EMAIL_OTP"}}}}}}, "mfa.preferred EMAIL_OTP is not enabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := h.emu.Seed(tt.seed)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Seed(%s) = %v; want an error containing %q", tt.name, err, tt.wantErr)
			}
			// A failed seed changes nothing.
			if got := h.call("DescribeUserPool", m{"UserPoolId": "us-east-1_a"}, true); got.errType() != "ResourceNotFoundException" {
				t.Errorf("after a failed seed, pool us-east-1_a = %s; want it absent", got.raw)
			}
		})
	}
}

func TestLoadSeed(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path, wantErr string
		wantPools           int
	}{
		{"contract seed", write("ok.json", `{"userPools":[{"id":"us-east-1_cwDemo001","name":"demo","aliasAttributes":["email"],"usernameAttributes":[],
			"clients":[{"id":"cognitowasmdemoclient00001","name":"demo-web","secret":"","explicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}],
			"users":[{"username":"alice","password":"Passw0rd!Demo","attributes":{"email":"alice@example.com"}}]}]}`), "", 1},
		{"every field", write("full.json", `{"userPools":[{"id":"us-east-1_cwFull001","name":"full","mfaConfiguration":"OPTIONAL",
			"enabledMfas":["SOFTWARE_TOKEN_MFA"],"passwordPolicy":{"minimumLength":6,"requireSymbols":false},
			"schema":[{"name":"name","required":true},{"name":"team","attributeDataType":"String","mutable":true}],
			"lambdaConfig":{"defineAuthChallenge":"arn:aws:lambda:us-east-1:000000000000:function:define"},
			"signInPolicy":{"allowedFirstAuthFactors":["PASSWORD","EMAIL_OTP"]},
			"clients":[{"id":"fullclient","name":"web","authSessionValidity":5,"accessTokenValidity":30}],
			"users":[{"username":"tina","password":"Temp0rary","status":"FORCE_CHANGE_PASSWORD","enabled":true,
			"mfa":{"totpSecret":"JBSWY3DPEHPK3PXP","preferred":"SOFTWARE_TOKEN_MFA"},"note":"for the demo","flow":"USER_SRP_AUTH"}]}]}`), "", 1},
		{"unknown field", write("typo.json", `{"userPool":[]}`), `unknown field "userPool"`, 0},
		{"not JSON", write("bad.json", `{`), "unexpected EOF", 0},
		{"missing", filepath.Join(dir, "none.json"), "no such file", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadSeed(tt.path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("LoadSeed(%q) = %v; want an error containing %q", tt.path, err, tt.wantErr)
				}
				return
			}
			if err != nil || len(s.UserPools) != tt.wantPools {
				t.Errorf("LoadSeed(%q) = %d pools, %v; want %d", tt.path, len(s.UserPools), err, tt.wantPools)
			}
			h := newHarness(t, nil)
			if err := h.emu.Seed(s); err != nil {
				t.Errorf("Seed(LoadSeed(%q)) = %v; want nil", tt.path, err)
			}
		})
	}
}

// TestConcurrentSignIns runs sign-ins side by side (meant for -race).
func TestConcurrentSignIns(t *testing.T) {
	h := demoHarness(t)
	users := []struct{ name, password string }{{"alice", demoPass}, {"bob", "Hunter2!Bob"}, {"Zoë", "Pässwörd!1Ω"}}
	var wg sync.WaitGroup
	errs := make(chan string, 3*len(users))
	for i := range 3 {
		for _, u := range users {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var res response
				if i%2 == 0 {
					res = h.srpSignIn(demoPool, demoClient, u.name, u.password)
				} else {
					res = h.passwordAuth(demoClient, map[string]string{"USERNAME": u.name, "PASSWORD": u.password})
				}
				if res.str("AuthenticationResult", "IdToken") == "" {
					errs <- u.name + ": " + string(res.raw)
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent sign-in failed: %s", e)
	}
}

// TestSeedFieldsApplied: the seed's pool, client and user fields reach what
// the API shows.
func TestSeedFieldsApplied(t *testing.T) {
	five, six, thirty, no := 5, 6, 30, false
	s := Seed{UserPools: []SeedPool{{ID: "us-east-1_cwFull001", Name: "full", MfaConfiguration: "OPTIONAL",
		EnabledMfas:    []string{"SOFTWARE_TOKEN_MFA"},
		PasswordPolicy: &SeedPasswordPolicy{MinimumLength: &six, RequireSymbols: &no},
		Schema:         []SeedAttribute{{Name: "name", Required: true}, {Name: "team"}},
		LambdaConfig:   &SeedLambdaConfig{DefineAuthChallenge: "arn:aws:lambda:us-east-1:000000000000:function:define"},
		SignInPolicy:   &SeedSignInPolicy{AllowedFirstAuthFactors: []string{"PASSWORD", "EMAIL_OTP"}},
		Clients:        []SeedClient{{ID: "fullclient", Name: "web", AuthSessionValidity: &five, AccessTokenValidity: &thirty}},
		Users: []SeedUser{{Username: "tina", Password: "Temp0rary", Status: "FORCE_CHANGE_PASSWORD", Enabled: &no,
			MFA: &SeedUserMFA{TOTPSecret: "JBSWY3DPEHPK3PXP", Preferred: "SOFTWARE_TOKEN_MFA"}}},
	}}}
	h := newHarness(t, &s)
	pool := h.admin("DescribeUserPool", m{"UserPoolId": "us-east-1_cwFull001"}).body["UserPool"].(map[string]any)
	client := h.admin("DescribeUserPoolClient", m{"UserPoolId": "us-east-1_cwFull001", "ClientId": "fullclient"}).body["UserPoolClient"].(map[string]any)
	mfa := h.admin("GetUserPoolMfaConfig", m{"UserPoolId": "us-east-1_cwFull001"})
	user := h.admin("AdminGetUser", m{"UserPoolId": "us-east-1_cwFull001", "Username": "tina"})
	customTeam := false
	for _, a := range pool["SchemaAttributes"].([]any) {
		if a.(map[string]any)["Name"] == "custom:team" {
			customTeam = true
		}
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"MfaConfiguration", pool["MfaConfiguration"], "OPTIONAL"},
		{"TOTP enabled", mfa.body["SoftwareTokenMfaConfiguration"].(map[string]any)["Enabled"], true},
		{"SMS off", mfa.body["SmsMfaConfiguration"] == nil, true},
		{"MinimumLength", pool["Policies"].(map[string]any)["PasswordPolicy"].(map[string]any)["MinimumLength"], float64(6)},
		{"RequireSymbols", pool["Policies"].(map[string]any)["PasswordPolicy"].(map[string]any)["RequireSymbols"], false},
		{"custom:team in the schema", customTeam, true},
		{"DefineAuthChallenge", pool["LambdaConfig"].(map[string]any)["DefineAuthChallenge"], "arn:aws:lambda:us-east-1:000000000000:function:define"},
		{"AllowedFirstAuthFactors", len(pool["Policies"].(map[string]any)["SignInPolicy"].(map[string]any)["AllowedFirstAuthFactors"].([]any)), 2},
		{"AuthSessionValidity", client["AuthSessionValidity"], float64(5)},
		{"AccessTokenValidity", client["AccessTokenValidity"], float64(30)},
		{"UserStatus", user.str("UserStatus"), "FORCE_CHANGE_PASSWORD"},
		{"Enabled", user.body["Enabled"], false},
		{"PreferredMfaSetting", user.str("PreferredMfaSetting"), "SOFTWARE_TOKEN_MFA"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("after the seed, %s = %v; want %v", c.name, c.got, c.want)
		}
	}
}
