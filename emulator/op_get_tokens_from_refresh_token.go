package emulator

import "context"

// GetTokensFromRefreshToken: new tokens for a refresh token, the way
// Amplify JS v6 refreshes, and the only way on a client with refresh-token
// rotation (flow_refresh_token.go has the checks, shared with
// REFRESH_TOKEN_AUTH).

type getTokensFromRefreshTokenRequest struct {
	RefreshToken   string
	ClientId       string
	ClientSecret   string
	DeviceKey      string
	ClientMetadata map[string]string
}

func (r getTokensFromRefreshTokenRequest) validate() error {
	var v validation
	v.required("refreshToken", r.RefreshToken != "")
	v.clientID("clientId", r.ClientId)
	v.length("clientSecret", r.ClientSecret, 1, 64)
	v.length("deviceKey", r.DeviceKey, 1, 55)
	if err := v.err(); err != nil {
		return err
	}
	return checkParams("ClientMetadata", r.ClientMetadata)
}

type getTokensFromRefreshTokenResponse struct {
	AuthenticationResult *authenticationResult
}

func (e *Emulator) getTokensFromRefreshToken(ctx context.Context, req *getTokensFromRefreshTokenRequest) (*getTokensFromRefreshTokenResponse, error) {
	sc, err := e.loadClient(req.ClientId)
	if err != nil {
		return nil, err
	}
	sc.clientMetadata, sc.refreshOperation = req.ClientMetadata, true
	sc.deviceKey = req.DeviceKey // a refresh token bound to a device needs it (devices.go)
	res, err := e.refreshSession(ctx, sc, req.RefreshToken, func(refreshRecord) error {
		return checkClientSecret(sc.client, req.ClientSecret)
	})
	if err != nil {
		return nil, err
	}
	return &getTokensFromRefreshTokenResponse{AuthenticationResult: res}, nil
}
