//go:build !(js && wasm)

// The emulator (bbolt) and subprocesses are native only; the engine is
// vetted under GOOS=js through its other files.

package signin_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"

	"github.com/cognito-wasm/cognito-wasm/emulator"
	"github.com/cognito-wasm/cognito-wasm/signin"
)

// Example walks a whole USER_SRP_AUTH sign-in against the project's emulator:
// the caller gives a name and password, the engine sends SRP_A, answers
// PASSWORD_VERIFIER itself and returns the DONE step with tokens.
func Example() {
	dir, err := os.MkdirTemp("", "signin-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	em, err := emulator.New(emulator.Config{DataDir: dir})
	if err != nil {
		log.Fatal(err)
	}
	defer em.Close()
	err = em.Seed(emulator.Seed{UserPools: []emulator.SeedPool{{
		ID: "us-east-1_Example01", Name: "example", AliasAttributes: []string{"email"},
		Clients: []emulator.SeedClient{{ID: "exampleclient00000000001", Name: "web",
			ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}},
		Users: []emulator.SeedUser{{Username: "alice", Password: "Passw0rd!Demo",
			Attributes: map[string]string{"email": "alice@example.com", "email_verified": "true"}}},
	}}})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(em)
	defer srv.Close()

	c, err := signin.New(signin.Config{
		UserPoolID: "us-east-1_Example01",
		ClientID:   "exampleclient00000000001",
		Endpoint:   srv.URL, // leave empty for the real Cognito
	})
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.SignIn(context.Background(), signin.SignInInput{
		Username: "alice@example.com",
		Password: "Passw0rd!Demo",
	})
	if err != nil {
		log.Fatal(err)
	}
	if !res.IsSignedIn {
		// A person must act: ask for what res.NextStep says, then
		// c.ConfirmSignIn(ctx, res.Pending, signin.ConfirmInput{...}).
		fmt.Println("next step:", res.NextStep.SignInStep)
		return
	}
	fmt.Println("signed in; token type", res.Tokens.TokenType)
	// Output: signed in; token type Bearer
}
