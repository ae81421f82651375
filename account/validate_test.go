package account

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/cognito-wasm/cognito-wasm/signin"
)

// refuseAll fails the test if anything is sent.
type refuseAll struct{ t *testing.T }

func (r refuseAll) Do(req *http.Request) (*http.Response, error) {
	r.t.Errorf("%s was sent; want it refused before sending", req.Header.Get("X-Amz-Target"))
	return nil, errors.New("refused")
}

func TestNewChecksConfig(t *testing.T) {
	for _, tt := range []struct {
		name  string
		cfg   Config
		field string
	}{
		{"no pool", Config{ClientID: "abc"}, "UserPoolId"},
		{"bad pool", Config{UserPoolID: "nope", ClientID: "abc"}, "UserPoolId"},
		{"no client", Config{UserPoolID: "us-east-1_Abc"}, "ClientId"},
		{"bad endpoint", Config{UserPoolID: "us-east-1_Abc", ClientID: "abc", Endpoint: "localhost:9229"}, "Endpoint"},
		{"bad region", Config{UserPoolID: "us-east-1_Abc", ClientID: "abc", Region: "US EAST"}, "Region"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			var pe *signin.ParamError
			if !errors.As(err, &pe) || pe.Field != tt.field {
				t.Fatalf("New(%+v) = %v; want a ParamError for %s", tt.cfg, err, tt.field)
			}
		})
	}
}

// TestArgumentsChecked refuses bad arguments, naming the field, before
// anything is sent.
func TestArgumentsChecked(t *testing.T) {
	c, err := New(Config{UserPoolID: "us-east-1_Abc", ClientID: "abc", Endpoint: "http://emulator.invalid", HTTPClient: refuseAll{t}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tok := "token"
	long := strings.Repeat("x", signin.MaxValueLen+1)
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"SignUp no username", func() error { _, err := c.SignUp(ctx, SignUpInput{Password: "p"}); return err }, "Username"},
		{"SignUp bad UTF-8", func() error { _, err := c.SignUp(ctx, SignUpInput{Username: "a\xff"}); return err }, "Username"},
		{"SignUp empty attribute name", func() error {
			_, err := c.SignUp(ctx, SignUpInput{Username: "a", UserAttributes: map[string]string{"": "x"}})
			return err
		}, "UserAttributes"},
		{"SignUp long attribute name", func() error {
			_, err := c.SignUp(ctx, SignUpInput{Username: "a", UserAttributes: map[string]string{strings.Repeat("n", 33): "x"}})
			return err
		}, "UserAttributes"},
		{"SignUp long attribute value", func() error {
			_, err := c.SignUp(ctx, SignUpInput{Username: "a", UserAttributes: map[string]string{"email": strings.Repeat("v", 2049)}})
			return err
		}, "UserAttributes.email"},
		{"SignUp ValidationData", func() error {
			_, err := c.SignUp(ctx, SignUpInput{Username: "a", ValidationData: map[string]string{"a b": "x"}})
			return err
		}, "ValidationData"},
		{"SignUp ClientMetadata", func() error {
			_, err := c.SignUp(ctx, SignUpInput{Username: "a", ClientMetadata: map[string]string{"k": long}})
			return err
		}, "ClientMetadata.k"},
		{"ConfirmSignUp no code", func() error {
			_, err := c.ConfirmSignUp(ctx, ConfirmSignUpInput{Username: "a"})
			return err
		}, "ConfirmationCode"},
		{"ConfirmSignUp code with a space", func() error {
			_, err := c.ConfirmSignUp(ctx, ConfirmSignUpInput{Username: "a", ConfirmationCode: "12 34"})
			return err
		}, "ConfirmationCode"},
		{"ResendConfirmationCode no username", func() error { _, err := c.ResendConfirmationCode(ctx, "", nil); return err }, "Username"},
		{"ForgotPassword long username", func() error {
			_, err := c.ForgotPassword(ctx, strings.Repeat("u", signin.MaxUsernameLen+1), nil)
			return err
		}, "Username"},
		{"ConfirmForgotPassword no password", func() error {
			return c.ConfirmForgotPassword(ctx, ConfirmForgotPasswordInput{Username: "a", ConfirmationCode: "1"})
		}, "Password"},
		{"ChangePassword no token", func() error { return c.ChangePassword(ctx, "", "a", "b") }, "AccessToken"},
		{"ChangePassword no previous", func() error { return c.ChangePassword(ctx, tok, "", "b") }, "PreviousPassword"},
		{"ChangePassword no proposed", func() error { return c.ChangePassword(ctx, tok, "a", "") }, "ProposedPassword"},
		{"GetUser long token", func() error { _, err := c.GetUser(ctx, long); return err }, "AccessToken"},
		{"UpdateUserAttributes none", func() error { _, err := c.UpdateUserAttributes(ctx, tok, nil, nil); return err }, "UserAttributes"},
		{"VerifyUserAttribute no name", func() error { return c.VerifyUserAttribute(ctx, tok, "", "1") }, "AttributeName"},
		{"VerifyUserAttribute no code", func() error { return c.VerifyUserAttribute(ctx, tok, "email", "") }, "Code"},
		{"GetUserAttributeVerificationCode no name", func() error {
			_, err := c.GetUserAttributeVerificationCode(ctx, tok, "", nil)
			return err
		}, "AttributeName"},
		{"DeleteUserAttributes none", func() error { return c.DeleteUserAttributes(ctx, tok, nil) }, "UserAttributeNames"},
		{"DeleteUserAttributes empty name", func() error { return c.DeleteUserAttributes(ctx, tok, []string{"email", ""}) }, "UserAttributeNames[1]"},
		{"DeleteUser no token", func() error { return c.DeleteUser(ctx, "") }, "AccessToken"},
		{"SetUserMFAPreference no token", func() error { return c.SetUserMFAPreference(ctx, "", MFAPreference{}) }, "AccessToken"},
		{"AssociateSoftwareToken no token", func() error { _, err := c.AssociateSoftwareToken(ctx, ""); return err }, "AccessToken"},
		{"VerifySoftwareToken no code", func() error { return c.VerifySoftwareToken(ctx, tok, "", "") }, "UserCode"},
		{"VerifySoftwareToken long device name", func() error {
			return c.VerifySoftwareToken(ctx, tok, "123456", strings.Repeat("d", 257))
		}, "FriendlyDeviceName"},
		{"GetTokensFromRefreshToken no token", func() error {
			_, err := c.GetTokensFromRefreshToken(ctx, "", "")
			return err
		}, "RefreshToken"},
		{"GetTokensFromRefreshToken long device key", func() error {
			_, err := c.GetTokensFromRefreshToken(ctx, "r", strings.Repeat("k", 56))
			return err
		}, "DeviceKey"},
		{"RevokeToken no token", func() error { return c.RevokeToken(ctx, "") }, "Token"},
		{"GlobalSignOut no token", func() error { return c.GlobalSignOut(ctx, "") }, "AccessToken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var pe *signin.ParamError
			if !errors.As(err, &pe) || pe.Field != tt.field || pe.ErrorCode() != "InvalidParameterException" {
				t.Fatalf("%s = %v; want an InvalidParameterException for %s", tt.name, err, tt.field)
			}
		})
	}
}
