package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/emulator/sigv4"
)

// binary is the command built once for the process tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cognito-emulator-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "cognito-emulator")
	goTool, err := exec.LookPath("go")
	if err != nil {
		fmt.Fprintln(os.Stderr, "go tool not found:", err)
		os.Exit(1)
	}
	build := exec.Command(goTool, "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "go build:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const seedJSON = `{"userPools":[{"id":"us-east-1_cwDemo001","name":"demo","aliasAttributes":["email"],"usernameAttributes":[],
  "clients":[{"id":"cognitowasmdemoclient00001","name":"demo-web","secret":"",
    "explicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_USER_PASSWORD_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}],
  "users":[{"username":"alice","password":"Passw0rd!Demo","attributes":{"email":"alice@example.com","email_verified":"true"}}]}]}`

func writeSeed(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(p, []byte(seedJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

type proc struct {
	cmd    *exec.Cmd
	url    string
	stdout *bufio.Reader
	stderr *bytes.Buffer
}

// start runs the binary and waits for its one stdout line.
func start(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, stdout: bufio.NewReader(out), stderr: &bytes.Buffer{}}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	lines := make(chan string, 1)
	go func() {
		line, _ := p.stdout.ReadString('\n')
		lines <- line
	}()
	select {
	case line := <-lines:
		url, ok := strings.CutPrefix(strings.TrimSpace(line), "cognito-emulator listening on ")
		if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
			t.Fatalf("first stdout line = %q; want %q", line, "cognito-emulator listening on http://127.0.0.1:PORT")
		}
		p.url = url
	case <-time.After(30 * time.Second):
		t.Fatalf("no listening line within 30s; stderr: %s", p.stderr)
	}
	return p
}

func (p *proc) call(t *testing.T, op string, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, p.url+"/", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func (p *proc) must(t *testing.T, op string, body any) map[string]any {
	t.Helper()
	status, out := p.call(t, op, body)
	if status != http.StatusOK {
		t.Fatalf("%s = %d %v; want 200", op, status, out)
	}
	return out
}

func (p *proc) jwksKid(t *testing.T, pool string) string {
	t.Helper()
	resp, err := http.Get(p.url + "/" + pool + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var set struct{ Keys []struct{ Kid string } }
	// Two keys per pool: one for id tokens, one for access tokens.
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil || len(set.Keys) != 2 || set.Keys[0].Kid == set.Keys[1].Kid {
		t.Fatalf("jwks: %v %v", err, set)
	}
	return set.Keys[0].Kid + " " + set.Keys[1].Kid
}

// stop sends sig and waits for the process to end.
func (p *proc) stop(t *testing.T, sig os.Signal) error {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		t.Fatalf("process did not exit after %v", sig)
		return nil
	}
}

func TestRestartKeepsData(t *testing.T) {
	data := t.TempDir()
	seed := writeSeed(t)
	p := start(t, "-data", data, "-seed", seed)
	pool := p.must(t, "CreateUserPool", map[string]any{"PoolName": "kept"})["UserPool"].(map[string]any)["Id"].(string)
	client := p.must(t, "CreateUserPoolClient", map[string]any{"UserPoolId": pool, "ClientName": "c",
		"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})["UserPoolClient"].(map[string]any)["ClientId"].(string)
	p.must(t, "AdminCreateUser", map[string]any{"UserPoolId": pool, "Username": "kate", "MessageAction": "SUPPRESS"})
	p.must(t, "AdminSetUserPassword", map[string]any{"UserPoolId": pool, "Username": "kate", "Password": "Kate!pass1", "Permanent": true})
	signIn := p.must(t, "InitiateAuth", map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client,
		"AuthParameters": map[string]string{"USERNAME": "kate", "PASSWORD": "Kate!pass1"}})
	refresh := signIn["AuthenticationResult"].(map[string]any)["RefreshToken"].(string)
	kid := p.jwksKid(t, pool)
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("exit after SIGTERM = %v; want a clean exit (stderr: %s)", err, p.stderr)
	}
	if rest, _ := io.ReadAll(p.stdout); len(bytes.TrimSpace(rest)) != 0 {
		t.Errorf("stdout after the listening line = %q; want nothing", rest)
	}
	if strings.Contains(p.stderr.String(), "Kate!pass1") || strings.Contains(p.stderr.String(), "Passw0rd!Demo") {
		t.Errorf("stderr contains a password: %s", p.stderr)
	}

	q := start(t, "-data", data, "-seed", seed) // the seed again: idempotent
	checks := []struct {
		name string
		op   string
		body map[string]any
	}{
		{"pool", "DescribeUserPool", map[string]any{"UserPoolId": pool}},
		{"client", "DescribeUserPoolClient", map[string]any{"UserPoolId": pool, "ClientId": client}},
		{"user", "AdminGetUser", map[string]any{"UserPoolId": pool, "Username": "kate"}},
		{"seeded user", "AdminGetUser", map[string]any{"UserPoolId": "us-east-1_cwDemo001", "Username": "alice"}},
		{"password", "InitiateAuth", map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client,
			"AuthParameters": map[string]string{"USERNAME": "kate", "PASSWORD": "Kate!pass1"}}},
		{"refresh token", "InitiateAuth", map[string]any{"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client,
			"AuthParameters": map[string]string{"REFRESH_TOKEN": refresh}}},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if status, out := q.call(t, c.op, c.body); status != http.StatusOK {
				t.Errorf("%s after restart = %d %v; want 200", c.op, status, out)
			}
		})
	}
	if got := q.jwksKid(t, pool); got != kid {
		t.Errorf("signing keys after restart = %q; want %q (the keys must persist)", got, kid)
	}
	if err := q.stop(t, os.Interrupt); err != nil {
		t.Errorf("exit after SIGINT = %v; want a clean exit", err)
	}
}

func TestKillKeepsAcknowledgedWrites(t *testing.T) {
	data := t.TempDir()
	p := start(t, "-data", data, "-seed", writeSeed(t))
	users := []string{"kill1", "kill2", "kill3"}
	for _, u := range users {
		p.must(t, "AdminCreateUser", map[string]any{"UserPoolId": "us-east-1_cwDemo001", "Username": u, "MessageAction": "SUPPRESS"})
	}
	// SIGKILL right after the last acknowledgement: no chance to flush anything.
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()

	q := start(t, "-data", data)
	for _, u := range users {
		t.Run(u, func(t *testing.T) {
			status, out := q.call(t, "AdminGetUser", map[string]any{"UserPoolId": "us-east-1_cwDemo001", "Username": u})
			if status != http.StatusOK || out["UserStatus"] != "FORCE_CHANGE_PASSWORD" {
				t.Errorf("AdminGetUser(%q) after kill -9 = %d %v; want the user", u, status, out)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"userPools":[{"id":"us-east-1_x","nmae":"typo"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	weak := filepath.Join(t.TempDir(), "weak.json")
	if err := os.WriteFile(weak, []byte(`{"userPools":[{"id":"us-east-1_x","name":"p","users":[{"username":"u","password":"short"}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"unknown flag", []string{"-nope"}, "flag provided but not defined"},
		{"stray argument", []string{"extra"}, "unexpected arguments"},
		{"missing seed file", []string{"-seed", filepath.Join(t.TempDir(), "none.json")}, "no such file"},
		{"seed with a typo", []string{"-seed", bad}, `unknown field "nmae"`},
		{"seed with a weak password", []string{"-seed", weak}, "Password not long enough"},
		{"bad address", []string{"-addr", "256.0.0.1:bad"}, "listen"},
		{"bad region", []string{"-region", "Not A Region"}, "invalid region"},
		{"credentials without a secret", []string{"-credentials", "AKIDLOCAL"}, "-credentials must be ACCESS_KEY_ID:SECRET"},
		{"credentials without a key id", []string{"-credentials", ":secret"}, "-credentials must be ACCESS_KEY_ID:SECRET"},
		{"credentials with an empty token", []string{"-credentials", "AKIDLOCAL:secret:"}, "-credentials must be ACCESS_KEY_ID:SECRET"},
		{"lambda endpoint not a URL", []string{"-lambda-endpoint", "localhost:3001"}, "not an http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(tt.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("run(%q) = %v; want an error containing %q", tt.args, err, tt.wantErr)
			}
			if stdout.Len() != 0 {
				t.Errorf("run(%q) printed %q to stdout; want nothing on failure", tt.args, stdout.String())
			}
		})
	}
}

func TestCredentialsFlag(t *testing.T) {
	p := start(t, "-seed", writeSeed(t), "-credentials", "AKIDLOCAL:local-secret")
	// The placeholder signature of p.call names another key: refused as AWS refuses it.
	status, out := p.call(t, "DescribeUserPool", map[string]string{"UserPoolId": "us-east-1_cwDemo001"})
	if status != http.StatusBadRequest || out["__type"] != "UnrecognizedClientException" || out["message"] != "The security token included in the request is invalid." {
		t.Fatalf("DescribeUserPool = %d %v; want UnrecognizedClientException", status, out)
	}
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("exit: %v", err)
	}
	if strings.Contains(p.stderr.String(), "local-secret") {
		t.Fatal("the secret reached the log")
	}
}

// signedCall calls op signed with c, as an AWS SDK signs it.
func (p *proc) signedCall(t *testing.T, op string, body any, c sigv4.Credentials) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, p.url+"/", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	sigv4.Sign(req, b, c, "us-east-1", "cognito-idp", time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// TestCredentialsSessionToken: a request signed with the configured key
// verifies only with the configured session token (none for a long-term
// key); a foreign token, validly signed, is refused as AWS refuses it.
func TestCredentialsSessionToken(t *testing.T) {
	describe := map[string]string{"UserPoolId": "us-east-1_cwDemo001"}
	refused := func(t *testing.T, p *proc, what string, c sigv4.Credentials) {
		t.Helper()
		status, out := p.signedCall(t, "DescribeUserPool", describe, c)
		if status != http.StatusBadRequest || out["__type"] != "UnrecognizedClientException" || out["message"] != "The security token included in the request is invalid." {
			t.Fatalf("%s: DescribeUserPool = %d %v; want UnrecognizedClientException", what, status, out)
		}
	}
	accepted := func(t *testing.T, p *proc, what string, c sigv4.Credentials) {
		t.Helper()
		if status, out := p.signedCall(t, "DescribeUserPool", describe, c); status != http.StatusOK {
			t.Fatalf("%s: DescribeUserPool = %d %v; want 200", what, status, out)
		}
	}
	t.Run("long-term key", func(t *testing.T) {
		p := start(t, "-seed", writeSeed(t), "-credentials", "AKIDLOCAL:local-secret")
		key := sigv4.Credentials{AccessKeyID: "AKIDLOCAL", SecretAccessKey: "local-secret"}
		accepted(t, p, "no token", key)
		key.SessionToken = "foreign-token"
		refused(t, p, "a token the key does not have", key)
	})
	t.Run("temporary key", func(t *testing.T) {
		p := start(t, "-seed", writeSeed(t), "-credentials", "ASIALOCAL:temp-secret:the-session-token")
		key := sigv4.Credentials{AccessKeyID: "ASIALOCAL", SecretAccessKey: "temp-secret", SessionToken: "the-session-token"}
		accepted(t, p, "its token", key)
		for _, tok := range []string{"", "another-token"} {
			key.SessionToken = tok
			refused(t, p, "token "+strconv.Quote(tok), key)
		}
		if err := p.stop(t, syscall.SIGTERM); err != nil {
			t.Fatalf("exit: %v", err)
		}
		if strings.Contains(p.stderr.String(), "the-session-token") || strings.Contains(p.stderr.String(), "temp-secret") {
			t.Fatal("the secret or token reached the log")
		}
	})
}

// TestLambdaEndpointFlag runs a whole CUSTOM_AUTH sign-in through the
// binary, its triggers answered by a Lambda Invoke API of the test's own.
func TestLambdaEndpointFlag(t *testing.T) {
	var mu sync.Mutex
	var invoked []string
	lambda := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/2015-03-31/functions/"), "/invocations")
		var ev map[string]any
		if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
			http.Error(w, "bad event", http.StatusBadRequest)
			return
		}
		mu.Lock()
		invoked = append(invoked, name)
		mu.Unlock()
		req := ev["request"].(map[string]any)
		switch name {
		case "define":
			session, _ := req["session"].([]any)
			if len(session) > 0 && session[len(session)-1].(map[string]any)["challengeResult"] == true {
				ev["response"] = map[string]any{"issueTokens": true}
			} else {
				ev["response"] = map[string]any{"challengeName": "CUSTOM_CHALLENGE"}
			}
		case "create":
			ev["response"] = map[string]any{"publicChallengeParameters": map[string]string{"q": "6*7"},
				"privateChallengeParameters": map[string]string{"a": "42"}}
		case "verify":
			ev["response"] = map[string]any{"answerCorrect": req["challengeAnswer"] == req["privateChallengeParameters"].(map[string]any)["a"]}
		}
		_ = json.NewEncoder(w).Encode(ev)
	}))
	defer lambda.Close()
	arn := "arn:aws:lambda:us-east-1:123456789012:function:"
	seed := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seed, []byte(`{"userPools":[{"id":"us-east-1_cwDemo001","name":"demo",
  "lambdaConfig":{"defineAuthChallenge":"`+arn+`define","createAuthChallenge":"`+arn+`create","verifyAuthChallengeResponse":"`+arn+`verify"},
  "clients":[{"id":"customclient0000000000001","name":"custom","explicitAuthFlows":["ALLOW_CUSTOM_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}],
  "users":[{"username":"alice","password":"Passw0rd!Demo"}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	p := start(t, "-seed", seed, "-lambda-endpoint", lambda.URL)
	ch := p.must(t, "InitiateAuth", map[string]any{"AuthFlow": "CUSTOM_AUTH", "ClientId": "customclient0000000000001",
		"AuthParameters": map[string]string{"USERNAME": "alice"}})
	if ch["ChallengeName"] != "CUSTOM_CHALLENGE" || ch["ChallengeParameters"].(map[string]any)["q"] != "6*7" {
		t.Fatalf("InitiateAuth = %v", ch)
	}
	out := p.must(t, "RespondToAuthChallenge", map[string]any{"ClientId": "customclient0000000000001", "ChallengeName": "CUSTOM_CHALLENGE",
		"Session": ch["Session"], "ChallengeResponses": map[string]string{"USERNAME": "alice", "ANSWER": "42"}})
	if _, ok := out["AuthenticationResult"]; !ok {
		t.Fatalf("RespondToAuthChallenge = %v", out)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(invoked, ",") != "define,create,verify,define" {
		t.Fatalf("invoked %v", invoked)
	}
}

// TestOutboxOnConsole: a code sent by "SMS" is in /_dev/outbox and on the
// console, so a developer running the command can read it.
func TestOutboxOnConsole(t *testing.T) {
	seed := filepath.Join(t.TempDir(), "mfa.json")
	if err := os.WriteFile(seed, []byte(`{"userPools":[{"id":"us-east-1_cwMfa0001","name":"mfa","mfaConfiguration":"OPTIONAL",
	  "clients":[{"id":"mfaclient","name":"web","explicitAuthFlows":["ALLOW_USER_PASSWORD_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}],
	  "users":[{"username":"sam","password":"Passw0rd!Sam","attributes":{"phone_number":"+15555550123"},"mfa":{"sms":true}}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	p := start(t, "-seed", seed)
	out := p.must(t, "InitiateAuth", map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "mfaclient",
		"AuthParameters": map[string]string{"USERNAME": "sam", "PASSWORD": "Passw0rd!Sam"}})
	if out["ChallengeName"] != "SMS_MFA" {
		t.Fatalf("InitiateAuth(sam) = %v; want SMS_MFA", out)
	}
	resp, err := http.Get(p.url + "/_dev/outbox?userPoolId=us-east-1_cwMfa0001&username=sam")
	if err != nil {
		t.Fatal(err)
	}
	var msgs []struct{ Code, Destination, Medium string }
	err = json.NewDecoder(resp.Body).Decode(&msgs)
	resp.Body.Close()
	if err != nil || len(msgs) != 1 || msgs[0].Destination != "+15555550123" || msgs[0].Medium != "SMS" {
		t.Fatalf("outbox = %+v, %v; want one SMS to +15555550123", msgs, err)
	}
	if err := p.stop(t, os.Interrupt); err != nil {
		t.Fatalf("exit = %v", err)
	}
	if !strings.Contains(p.stderr.String(), "code="+msgs[0].Code) {
		t.Errorf("stderr = %s; want the code %s printed", p.stderr, msgs[0].Code)
	}
}

// TestSecondEmulatorOnOneFolder: a second process on a data folder the first
// one holds exits with a message that names the folder and says what to do.
func TestSecondEmulatorOnOneFolder(t *testing.T) {
	data := t.TempDir()
	p := start(t, "-data", data)
	second := exec.Command(binary, "-addr", "127.0.0.1:0", "-data", data)
	var stdout, stderr bytes.Buffer
	second.Stdout, second.Stderr = &stdout, &stderr
	err := second.Run()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 1 {
		t.Fatalf("second emulator on %s: %v; want exit status 1 (stderr: %s)", data, err, stderr.String())
	}
	msg := stderr.String()
	for _, want := range []string{"data folder " + data + " is in use by another emulator", "stop that one", "another -data folder"} {
		if !strings.Contains(msg, want) {
			t.Errorf("stderr = %q; want it to say %q", msg, want)
		}
	}
	if strings.Contains(msg, "timeout") {
		t.Errorf("stderr = %q; want no bare bbolt timeout", msg)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout = %q; want nothing from an emulator that did not start", stdout.String())
	}
	// The first one is unharmed.
	if status, out := p.call(t, "DescribeUserPool", map[string]string{"UserPoolId": "us-east-1_none"}); status != http.StatusBadRequest || out["__type"] != "ResourceNotFoundException" {
		t.Errorf("first emulator after the second failed: %d %v; want it still serving", status, out)
	}
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Errorf("first emulator exit = %v", err)
	}
}
