package account

import (
	"context"

	"github.com/cognito-wasm/cognito-wasm/signin"
)

type refreshRequest struct {
	ClientId     string
	ClientSecret string `json:",omitempty"`
	RefreshToken string
	DeviceKey    string `json:",omitempty"`
}

type authenticationResult struct {
	AccessToken       string
	IdToken           string
	RefreshToken      string
	ExpiresIn         int32
	TokenType         string
	NewDeviceMetadata *struct{ DeviceKey, DeviceGroupKey string }
}

// GetTokensFromRefreshToken returns new access and id tokens. RefreshToken
// is set only when the client rotates refresh tokens: the caller must then
// keep the new one, as the old one stops working after the grace period.
// It takes the client secret itself (not a SECRET_HASH), as Cognito defines
// it. deviceKey is the remembered device's key when the tokens were issued
// to one, else "".
func (c *Client) GetTokensFromRefreshToken(ctx context.Context, refreshToken, deviceKey string) (*signin.Tokens, error) {
	if err := checkString("RefreshToken", refreshToken, maxTokenLen, true); err != nil {
		return nil, err
	}
	if err := checkString("DeviceKey", deviceKey, maxDeviceKeyLen, false); err != nil {
		return nil, err
	}
	var out struct{ AuthenticationResult *authenticationResult }
	err := c.call(ctx, "GetTokensFromRefreshToken", refreshRequest{ClientId: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret,
		RefreshToken: refreshToken, DeviceKey: deviceKey}, &out)
	if err != nil {
		return nil, err
	}
	r := out.AuthenticationResult
	if r == nil || r.AccessToken == "" {
		return nil, badAnswer("GetTokensFromRefreshToken answered no AccessToken")
	}
	t := &signin.Tokens{AccessToken: r.AccessToken, IdToken: r.IdToken, RefreshToken: r.RefreshToken,
		ExpiresIn: r.ExpiresIn, TokenType: r.TokenType}
	if d := r.NewDeviceMetadata; d != nil {
		t.NewDeviceMetadata = &signin.DeviceMetadata{DeviceKey: d.DeviceKey, DeviceGroupKey: d.DeviceGroupKey}
	}
	return t, nil
}

type revokeTokenRequest struct {
	ClientId     string
	ClientSecret string `json:",omitempty"`
	Token        string
}

// RevokeToken revokes a refresh token and the access and id tokens issued
// with it (sign-out on this device).
func (c *Client) RevokeToken(ctx context.Context, refreshToken string) error {
	if err := checkString("Token", refreshToken, maxTokenLen, true); err != nil {
		return err
	}
	return c.call(ctx, "RevokeToken", revokeTokenRequest{c.cfg.ClientID, c.cfg.ClientSecret, refreshToken}, nil)
}

// GlobalSignOut revokes every refresh token of the user (sign-out everywhere).
func (c *Client) GlobalSignOut(ctx context.Context, accessToken string) error {
	if err := checkAccessToken(accessToken); err != nil {
		return err
	}
	return c.call(ctx, "GlobalSignOut", accessTokenRequest{accessToken}, nil)
}
