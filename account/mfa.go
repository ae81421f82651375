package account

import (
	"context"

	"github.com/aws/smithy-go"

	"github.com/cognito-wasm/cognito-wasm/signin"
)

// MFASetting is one MFA type's setting; nil in MFAPreference leaves the
// type as it is, and a nil PreferredMfa leaves the preference as it is.
type MFASetting struct {
	Enabled      bool  `json:"Enabled"`
	PreferredMfa *bool `json:"PreferredMfa,omitempty"`
}

// MFAPreference is what SetUserMFAPreference changes.
type MFAPreference struct {
	SMS   *MFASetting `json:"SMSMfaSettings,omitempty"`
	TOTP  *MFASetting `json:"SoftwareTokenMfaSettings,omitempty"`
	Email *MFASetting `json:"EmailMfaSettings,omitempty"`
}

type setUserMFAPreferenceRequest struct {
	AccessToken string
	MFAPreference
}

// SetUserMFAPreference enables, disables or prefers the user's MFA types.
// What may be combined (one preferred type, a type the pool allows) is the
// server's to judge.
func (c *Client) SetUserMFAPreference(ctx context.Context, accessToken string, pref MFAPreference) error {
	if err := checkAccessToken(accessToken); err != nil {
		return err
	}
	return c.call(ctx, "SetUserMFAPreference", setUserMFAPreferenceRequest{accessToken, pref}, nil)
}

// AssociateSoftwareToken starts TOTP setup for the signed-in user: the
// secret to put in an authenticator app.
func (c *Client) AssociateSoftwareToken(ctx context.Context, accessToken string) (secret string, err error) {
	if err := checkAccessToken(accessToken); err != nil {
		return "", err
	}
	var out struct{ SecretCode string }
	if err := c.call(ctx, "AssociateSoftwareToken", accessTokenRequest{accessToken}, &out); err != nil {
		return "", err
	}
	if out.SecretCode == "" {
		return "", badAnswer("AssociateSoftwareToken answered no SecretCode")
	}
	return out.SecretCode, nil
}

type verifySoftwareTokenRequest struct {
	AccessToken        string
	UserCode           string
	FriendlyDeviceName string `json:",omitempty"`
}

// VerifySoftwareToken proves the authenticator app holds the secret; TOTP
// can then be enabled (SetUserMFAPreference).
func (c *Client) VerifySoftwareToken(ctx context.Context, accessToken, code, friendlyDeviceName string) error {
	if err := checkAccessToken(accessToken); err != nil {
		return err
	}
	if err := checkCode("UserCode", code); err != nil {
		return err
	}
	if err := checkString("FriendlyDeviceName", friendlyDeviceName, maxDeviceName, false); err != nil {
		return err
	}
	var out struct{ Status string }
	if err := c.call(ctx, "VerifySoftwareToken", verifySoftwareTokenRequest{accessToken, code, friendlyDeviceName}, &out); err != nil {
		return err
	}
	if out.Status != "SUCCESS" {
		return badAnswer("VerifySoftwareToken answered status " + out.Status)
	}
	return nil
}

// badAnswer is an answer the caller cannot use, coded as signin's are.
func badAnswer(msg string) error {
	return &smithy.GenericAPIError{Code: signin.CodeInvalidServerResponse, Message: msg, Fault: smithy.FaultServer}
}
