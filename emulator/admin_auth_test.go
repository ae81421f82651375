package emulator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cognito-wasm/cognito-wasm/emulator/sigv4"
	"github.com/cognito-wasm/cognito-wasm/srp"
)

// adminFlowsClient allows every flow a trusted server may use.
func (h *harness) adminFlowsClient(extra m) string {
	h.t.Helper()
	body := m{"ExplicitAuthFlows": []string{"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}
	for k, v := range extra {
		body[k] = v
	}
	return h.newClient(body)
}

func (h *harness) adminInitiate(client, flow string, params m) response {
	h.t.Helper()
	return h.call("AdminInitiateAuth", m{"UserPoolId": demoPool, "ClientId": client, "AuthFlow": flow, "AuthParameters": params}, true)
}

func TestAdminUserPasswordAuth(t *testing.T) {
	h := demoHarness(t)
	client := h.adminFlowsClient(nil)
	for _, flow := range []string{"ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"} {
		r := h.adminInitiate(client, flow, m{"USERNAME": "alice@example.com", "PASSWORD": demoPass})
		h.wantTokens(r)
		claims := h.verifyJWT(demoPool, r.str("AuthenticationResult", "IdToken"))
		if claims["cognito:username"] != "alice" {
			t.Fatalf("claims = %v", claims)
		}
	}
	h.wantError(h.adminInitiate(client, "ADMIN_USER_PASSWORD_AUTH", m{"USERNAME": "alice", "PASSWORD": "wrong"}),
		"NotAuthorizedException", "Incorrect username or password.")
	h.wantError(h.adminInitiate(client, "ADMIN_USER_PASSWORD_AUTH", m{"USERNAME": "alice"}),
		"InvalidParameterException", "Missing required parameter PASSWORD")
	// Not through the public operation, and not for a client that does not allow it.
	h.wantError(h.call("InitiateAuth", m{"AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "ClientId": client,
		"AuthParameters": m{"USERNAME": "alice", "PASSWORD": demoPass}}, false), "InvalidParameterException", "Initiate Auth method not supported.")
	h.wantError(h.adminInitiate(demoClient, "ADMIN_USER_PASSWORD_AUTH", m{"USERNAME": "alice", "PASSWORD": demoPass}),
		"InvalidParameterException", "ADMIN_USER_PASSWORD_AUTH flow not enabled for this client")
	// A public-only flow is not an admin one.
	h.wantError(h.adminInitiate(demoClient, "USER_PASSWORD_AUTH", m{"USERNAME": "alice", "PASSWORD": demoPass}),
		"InvalidParameterException", "Initiate Auth method not supported.")
}

func TestAdminAuthNeedsSignatureAndTheClientsPool(t *testing.T) {
	h := demoHarness(t)
	client := h.adminFlowsClient(nil)
	r := h.call("AdminInitiateAuth", m{"UserPoolId": demoPool, "ClientId": client, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
		"AuthParameters": m{"USERNAME": "alice", "PASSWORD": demoPass}}, false)
	h.wantError(r, "MissingAuthenticationTokenException", "Missing Authentication Token")
	r = h.call("AdminInitiateAuth", m{"UserPoolId": "us-east-1_cwEmail01", "ClientId": client, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
		"AuthParameters": m{"USERNAME": "alice", "PASSWORD": demoPass}}, true)
	h.wantError(r, "ResourceNotFoundException", "User pool client "+client+" does not exist.")
	r = h.call("AdminInitiateAuth", m{"UserPoolId": "us-east-1_nothere1", "ClientId": client, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
		"AuthParameters": m{"USERNAME": "alice", "PASSWORD": demoPass}}, true)
	h.wantError(r, "ResourceNotFoundException", "User pool us-east-1_nothere1 does not exist.")
	r = h.call("AdminRespondToAuthChallenge", m{"UserPoolId": "us-east-1_cwEmail01", "ClientId": client, "ChallengeName": "PASSWORD_VERIFIER",
		"ChallengeResponses": m{"USERNAME": "alice"}}, true)
	h.wantError(r, "ResourceNotFoundException", "User pool client "+client+" does not exist.")
	r = h.call("AdminInitiateAuth", m{"ClientId": client, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH"}, true)
	h.wantError(r, "InvalidParameterException", "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null")
}

func TestAdminSRPAndRespond(t *testing.T) {
	h := demoHarness(t)
	client := h.adminFlowsClient(nil)
	c, err := srp.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	ch := h.adminInitiate(client, "USER_SRP_AUTH", m{"USERNAME": "alice", "SRP_A": c.A()})
	wantChallenge(t, ch, "PASSWORD_VERIFIER")
	p := ch.body["ChallengeParameters"].(map[string]any)
	poolName, _ := srp.PoolName(demoPool)
	claim, err := c.PasswordClaim(srp.ClaimInput{PoolName: poolName, UserID: p["USER_ID_FOR_SRP"].(string), Password: demoPass,
		Salt: p["SALT"].(string), SRPB: p["SRP_B"].(string), SecretBlock: p["SECRET_BLOCK"].(string), Now: h.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	body := m{"UserPoolId": demoPool, "ClientId": client, "ChallengeName": "PASSWORD_VERIFIER", "Session": ch.str("Session"),
		"ChallengeResponses": m{"USERNAME": "alice", "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "TIMESTAMP": claim.Timestamp,
			"PASSWORD_CLAIM_SIGNATURE": claim.Signature},
		"ClientMetadata": m{"k": "v"},
		"ContextData": m{"IpAddress": "192.0.2.1", "ServerName": "app.example", "ServerPath": "/login",
			"HttpHeaders": []m{{"headerName": "User-Agent", "headerValue": "test"}}}}
	r := h.call("AdminRespondToAuthChallenge", body, true)
	h.wantTokens(r)
	// Refresh through the admin operation.
	h.wantTokens(h.adminInitiate(client, "REFRESH_TOKEN_AUTH", m{"REFRESH_TOKEN": r.str("AuthenticationResult", "RefreshToken")}))
}

func TestAdminContextDataIsValidated(t *testing.T) {
	h := demoHarness(t)
	client := h.adminFlowsClient(nil)
	r := h.call("AdminInitiateAuth", m{"UserPoolId": demoPool, "ClientId": client, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
		"AuthParameters": m{"USERNAME": "alice", "PASSWORD": demoPass}, "ContextData": m{"IpAddress": "192.0.2.1", "ServerName": "s", "ServerPath": "/"}}, true)
	h.wantError(r, "InvalidParameterException", "1 validation error detected: Value null at 'contextData.httpHeaders' failed to satisfy constraint: Member must not be null")
	r = h.call("AdminInitiateAuth", m{"UserPoolId": demoPool, "ClientId": client, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
		"AuthParameters": m{"USERNAME": "alice", "PASSWORD": demoPass}, "ContextData": m{"IpAddress": "192.0.2.1", "ServerName": "s", "ServerPath": "/",
			"HttpHeaders": []m{}, "EncodedData": "x"}}, true)
	h.wantTokens(r)
}

func TestAdminCustomAuthAndNewPassword(t *testing.T) {
	h, fl := customHarness(t)
	client := h.adminFlowsClient(m{"GenerateSecret": true})
	secret := h.admin("DescribeUserPoolClient", m{"UserPoolId": demoPool, "ClientId": client}).str("UserPoolClient", "ClientSecret")
	ch := h.adminInitiate(client, "CUSTOM_AUTH", m{"USERNAME": "alice", "SECRET_HASH": srp.SecretHash("alice", client, secret)})
	wantChallenge(t, ch, "CUSTOM_CHALLENGE")
	r := h.call("AdminRespondToAuthChallenge", m{"UserPoolId": demoPool, "ClientId": client, "ChallengeName": "CUSTOM_CHALLENGE",
		"Session": ch.str("Session"), "ChallengeResponses": m{"USERNAME": "alice", "ANSWER": "2", "SECRET_HASH": srp.SecretHash("alice", client, secret)},
		"ClientMetadata": m{"tenant": "t1"}}, true)
	h.wantTokens(r)
	if v := fl.calls("verify"); len(v) != 1 || request(v[0].event)["clientMetadata"].(map[string]any)["tenant"] != "t1" {
		t.Fatalf("verify calls = %v", v)
	}
	// A session from the admin operation is answered through it; the public one finds it too,
	// as Cognito's sessions are not tied to the operation.
	h.admin("AdminCreateUser", m{"UserPoolId": demoPool, "Username": "dave", "TemporaryPassword": "Temp0rary!pw", "MessageAction": "SUPPRESS"})
	np := h.adminInitiate(client, "ADMIN_USER_PASSWORD_AUTH", m{"USERNAME": "dave", "PASSWORD": "Temp0rary!pw", "SECRET_HASH": srp.SecretHash("dave", client, secret)})
	wantChallenge(t, np, "NEW_PASSWORD_REQUIRED")
	r = h.call("AdminRespondToAuthChallenge", m{"UserPoolId": demoPool, "ClientId": client, "ChallengeName": "NEW_PASSWORD_REQUIRED",
		"Session": np.str("Session"), "ChallengeResponses": m{"USERNAME": "dave", "NEW_PASSWORD": "Perm4nent!pw"}}, true)
	h.wantError(r, "NotAuthorizedException", "Client "+client+" is configured for secret but secret was not received")
	r = h.call("AdminRespondToAuthChallenge", m{"UserPoolId": demoPool, "ClientId": client, "ChallengeName": "NEW_PASSWORD_REQUIRED",
		"Session": np.str("Session"), "ChallengeResponses": m{"USERNAME": "dave", "NEW_PASSWORD": "Perm4nent!pw", "SECRET_HASH": srp.SecretHash("dave", client, secret)}}, true)
	h.wantTokens(r)
}

// signedCall posts op signed with SigV4 by the SDK's own signer.
func (h *harness) signedCall(op string, body any, creds aws.Credentials, region string, at time.Time) response {
	h.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		h.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/", bytes.NewReader(b))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	sum := sha256.Sum256(b)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "cognito-idp", region, at); err != nil {
		h.t.Fatal(err)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := response{status: resp.StatusCode, header: resp.Header, raw: raw}
	if err := json.Unmarshal(raw, &out.body); err != nil {
		h.t.Fatalf("%s: %q", op, raw)
	}
	return out
}

func TestCredentialsAreVerified(t *testing.T) {
	h := harnessWith(t, Config{Credentials: []sigv4.Credentials{{AccessKeyID: "AKIDLOCAL", SecretAccessKey: "local-secret"}}})
	good := aws.Credentials{AccessKeyID: "AKIDLOCAL", SecretAccessKey: "local-secret"}
	get := m{"UserPoolId": demoPool, "Username": "alice"}
	r := h.signedCall("AdminGetUser", get, good, "us-east-1", h.clock.Now())
	if r.status != http.StatusOK || r.str("Username") != "alice" {
		t.Fatalf("AdminGetUser = %d %s", r.status, r.raw)
	}
	// The harness's placeholder signature (key AKIDEXAMPLE) is refused once credentials are set.
	r = h.call("AdminGetUser", get, true)
	h.wantError(r, "UnrecognizedClientException", "The security token included in the request is invalid.")
	r = h.signedCall("AdminGetUser", get, aws.Credentials{AccessKeyID: "AKIDLOCAL", SecretAccessKey: "wrong"}, "us-east-1", h.clock.Now())
	h.wantError(r, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	r = h.signedCall("AdminGetUser", get, aws.Credentials{AccessKeyID: "AKIDOTHER", SecretAccessKey: "local-secret"}, "us-east-1", h.clock.Now())
	h.wantError(r, "UnrecognizedClientException", "The security token included in the request is invalid.")
	r = h.signedCall("AdminGetUser", get, good, "us-east-1", h.clock.Now().Add(-16*time.Minute))
	h.wantError(r, "InvalidSignatureException", "Signature expired: 20260307T144805Z is now earlier than 20260307T144905Z (20260307T150405Z - 15 min.)")
	r = h.signedCall("AdminGetUser", get, good, "eu-west-1", h.clock.Now())
	h.wantError(r, "InvalidSignatureException", "Credential should be scoped to a valid region, not 'eu-west-1'. ")
	// Anonymous sign-in stays anonymous.
	h.wantTokens(h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}))
	// The admin sign-in is checked like any admin call.
	r = h.signedCall("AdminInitiateAuth", m{"UserPoolId": demoPool, "ClientId": demoClient, "AuthFlow": "USER_SRP_AUTH",
		"AuthParameters": m{"USERNAME": "alice", "SRP_A": "0a"}}, aws.Credentials{AccessKeyID: "AKIDLOCAL", SecretAccessKey: "wrong"}, "us-east-1", h.clock.Now())
	h.wantError(r, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
}

func TestCredentialsConfigIsChecked(t *testing.T) {
	_, err := New(Config{Credentials: []sigv4.Credentials{{AccessKeyID: "AKID"}}, SigningKey: sharedKey(t)})
	if err == nil {
		t.Fatal("New accepted a credential without a secret")
	}
	_, err = New(Config{LambdaEndpoint: "localhost:3001", SigningKey: sharedKey(t)})
	if err == nil {
		t.Fatal("New accepted a Lambda endpoint that is not a URL")
	}
}
