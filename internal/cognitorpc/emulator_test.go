//go:build !(js && wasm)

package cognitorpc

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognito-wasm/cognito-wasm/emulator"
)

const (
	emuPool   = "us-east-1_RpcPool1"
	emuClient = "rpcclient000000000000001"
)

// inProcess hands each request to the emulator's ServeHTTP: no sockets.
type inProcess struct{ h http.Handler }

func (p inProcess) Do(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, req)
	return rec.Result(), nil
}

func newEmulator(t *testing.T) *emulator.Emulator {
	t.Helper()
	em, err := emulator.New(emulator.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatalf("emulator.New = %v", err)
	}
	t.Cleanup(func() { em.Close() })
	err = em.Seed(emulator.Seed{UserPools: []emulator.SeedPool{{ID: emuPool, Name: "rpc",
		Clients: []emulator.SeedClient{{ID: emuClient, Name: "rpc", ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}},
		Users:   []emulator.SeedUser{{Username: "alice", Password: "Passw0rd!Alice", Attributes: map[string]string{"email": "alice@example.com"}}},
	}}})
	if err != nil {
		t.Fatalf("Seed = %v", err)
	}
	return em
}

// TestAgainstEmulator signs in, reads the user and is refused with a bad
// token, through Call; the refusal is compared with the SDK's.
func TestAgainstEmulator(t *testing.T) {
	em := newEmulator(t)
	hc := inProcess{em}
	c, err := New(Config{Endpoint: "http://emulator.invalid", HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var auth struct {
		AuthenticationResult struct {
			AccessToken string
			ExpiresIn   int32
		}
	}
	err = c.Call(ctx, "InitiateAuth", map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": emuClient,
		"AuthParameters": map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!Alice"}}, &auth)
	if err != nil || auth.AuthenticationResult.AccessToken == "" || auth.AuthenticationResult.ExpiresIn == 0 {
		t.Fatalf("Call(InitiateAuth) = %v, %+v; want tokens", err, auth)
	}
	var user getUserOut
	if err := c.Call(ctx, "GetUser", getUserIn{AccessToken: auth.AuthenticationResult.AccessToken}, &user); err != nil || user.Username != "alice" {
		t.Fatalf("Call(GetUser) = %v, %+v; want alice", err, user)
	}
	email := ""
	for _, a := range user.UserAttributes {
		if a.Name == "email" {
			email = a.Value
		}
	}
	if email != "alice@example.com" {
		t.Errorf("GetUser email = %q; want alice@example.com", email)
	}

	rpcErr := c.Call(ctx, "GetUser", getUserIn{AccessToken: "not-a-token"}, &user)
	sdk := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String("http://emulator.invalid"), HTTPClient: hc})
	_, sdkErr := sdk.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String("not-a-token")})
	var r, a smithy.APIError
	if !errors.As(rpcErr, &r) || !errors.As(sdkErr, &a) || r.ErrorCode() != "NotAuthorizedException" ||
		r.ErrorCode() != a.ErrorCode() || r.ErrorMessage() != a.ErrorMessage() {
		t.Errorf("GetUser with a bad token: rpc %v; SDK %v; want the same NotAuthorizedException", rpcErr, sdkErr)
	}

	if err := c.Call(ctx, "NoSuchOperation", struct{}{}, nil); !errors.As(err, &r) || r.ErrorCode() == "" {
		t.Errorf("Call(NoSuchOperation) = %v; want the emulator's refusal as an API error", err)
	}
}
