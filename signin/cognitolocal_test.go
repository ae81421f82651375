//go:build !(js && wasm)

// The emulator (bbolt) and subprocesses are native only; the engine is
// vetted under GOOS=js through its other files.

package signin

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// startCognitoLocal runs cognito-local@5.3.0 (from e2e/reference/node_modules)
// in a temporary working directory and returns its endpoint.
func startCognitoLocal(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	start := filepath.Join(wd, "..", "e2e", "reference", "node_modules", "cognito-local", "lib", "bin", "start.js")
	if _, err := os.Stat(start); err != nil {
		t.Fatalf("cognito-local is not installed (%v): run `make node-deps` (npm ci in e2e/reference)", err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not on PATH (%v): install Node 20, then run `make node-deps`", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	cmd := exec.Command(node, start)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "HOST=127.0.0.1", fmt.Sprintf("PORT=%d", port), "NODE_NO_WARNINGS=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting cognito-local: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	ready := make(chan struct{})
	var (
		mu  sync.Mutex
		log strings.Builder
	)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			mu.Lock()
			if log.Len() < 8<<10 {
				log.WriteString(sc.Text() + "\n")
			}
			mu.Unlock()
			if strings.Contains(sc.Text(), fmt.Sprintf(":%d", port)) {
				select {
				case <-ready:
				default:
					close(ready)
				}
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("cognito-local did not report listening on port %d within 30s; output so far:\n%s", port, log.String())
	}
	return fmt.Sprintf("http://127.0.0.1:%d", port)
}

// TestAgainstCognitoLocal runs the pass-through flows against another
// implementation of the service: cognito-local has no SRP, but its
// USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH are the SDK's wire format.
func TestAgainstCognitoLocal(t *testing.T) {
	endpoint := startCognitoLocal(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	admin := cip.New(cip.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local"}, nil
		}),
	})
	pool, err := admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("signin-test")})
	if err != nil {
		t.Fatalf("CreateUserPool = %v", err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	app, err := admin.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID),
		ClientName: aws.String("signin-test"), ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		t.Fatalf("CreateUserPoolClient = %v", err)
	}
	const user, password = "dana@example.com", "Passw0rd!Dana"
	if _, err := admin.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String(user),
		TemporaryPassword: aws.String("Temp0rary!Pass"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatalf("AdminCreateUser = %v", err)
	}
	if _, err := admin.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID),
		Username: aws.String(user), Password: aws.String(password), Permanent: true}); err != nil {
		t.Fatalf("AdminSetUserPassword = %v", err)
	}

	c, err := New(Config{UserPoolID: poolID, ClientID: aws.ToString(app.UserPoolClient.ClientId), Endpoint: endpoint})
	if err != nil {
		t.Fatalf("New(pool %q) = %v", poolID, err)
	}
	step, err := c.Initiate(ctx, InitiateInput{AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": password}})
	if err != nil || step.AuthenticationResult == nil || step.AuthenticationResult.RefreshToken == "" {
		t.Fatalf("Initiate(USER_PASSWORD_AUTH) = %+v, %v; want tokens with a refresh token", step, err)
	}
	if got := claims(t, step.AuthenticationResult.IdToken)["email"]; got != user {
		t.Errorf("id token email = %v; want %s", got, user)
	}
	ref, err := c.Initiate(ctx, InitiateInput{AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": step.AuthenticationResult.RefreshToken}})
	if err != nil || ref.AuthenticationResult == nil || ref.AuthenticationResult.AccessToken == "" || ref.AuthenticationResult.IdToken == "" {
		t.Fatalf("Initiate(REFRESH_TOKEN_AUTH) = %+v, %v; want new tokens", ref, err)
	}

	// Errors arrive as cognito-local names them (it says InvalidPasswordException
	// where Cognito says NotAuthorizedException), intact.
	errTests := []struct {
		name     string
		in       InitiateInput
		wantCode string
	}{
		{"wrong password", InitiateInput{AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": "Wr0ng!pass"}}, "InvalidPasswordException"},
		{"unknown user", InitiateInput{AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: map[string]string{"USERNAME": "nobody@example.com", "PASSWORD": password}}, "NotAuthorizedException"},
		{"bad refresh token", InitiateInput{AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: map[string]string{"REFRESH_TOKEN": "not-a-token"}}, "NotAuthorizedException"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			step, err := c.Initiate(ctx, tt.in)
			if code, _ := apiCode(err); code != tt.wantCode || step != nil {
				t.Errorf("Initiate(%s) = %+v, %v; want %s", tt.name, step, err, tt.wantCode)
			}
		})
	}
}
