package triggers

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/cognito-wasm/cognito-wasm/emulator/lambda"
)

// TestWithTheEmulatorsLambdaClient runs a whole custom sign-in's trigger
// calls through the emulator's own Lambda client, so the demo triggers and
// the emulator agree on the wire, not only on this package's reading of it.
func TestWithTheEmulatorsLambdaClient(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	c, err := lambda.New(srv.URL, srv.Client(), 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const arn = "arn:aws:lambda:us-east-1:000000000000:function:demo-define-auth-challenge"
	caller := lambda.Caller{Region: "us-east-1", UserPoolID: "us-east-1_cwDemo001", UserName: "carol", ClientID: "client"}

	session := []lambda.ChallengeResult{{ChallengeName: "SRP_A", ChallengeResult: true}}
	next, err := c.DefineAuthChallenge(ctx, arn, caller, lambda.DefineAuthChallengeRequest{Session: session})
	if err != nil || next.ChallengeName != "PASSWORD_VERIFIER" {
		t.Fatalf("define after SRP_A = %+v, %v; want PASSWORD_VERIFIER", next, err)
	}
	session = append(session, lambda.ChallengeResult{ChallengeName: "PASSWORD_VERIFIER", ChallengeResult: true})
	for attempt := 1; ; attempt++ {
		next, err = c.DefineAuthChallenge(ctx, arn, caller, lambda.DefineAuthChallengeRequest{Session: session})
		if err != nil || next.ChallengeName != "CUSTOM_CHALLENGE" {
			t.Fatalf("define (attempt %d) = %+v, %v; want CUSTOM_CHALLENGE", attempt, next, err)
		}
		ch, err := c.CreateAuthChallenge(ctx, arn, caller, lambda.CreateAuthChallengeRequest{ChallengeName: "CUSTOM_CHALLENGE", Session: session})
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		m := question.FindStringSubmatch(ch.PublicChallengeParameters["question"])
		if m == nil {
			t.Fatalf("create's public parameters = %v; want the sum's question", ch.PublicChallengeParameters)
		}
		var a, b int
		fmt.Sscan(m[1], &a)
		fmt.Sscan(m[2], &b)
		answer := fmt.Sprint(a + b)
		if attempt == 1 {
			answer = fmt.Sprint(a + b + 1) // one wrong answer first
		}
		ok, err := c.VerifyAuthChallengeResponse(ctx, arn, caller, lambda.VerifyAuthChallengeRequest{
			PrivateChallengeParameters: ch.PrivateChallengeParameters, ChallengeAnswer: answer})
		if err != nil || ok != (attempt > 1) {
			t.Fatalf("verify(%s, attempt %d) = %v, %v; want %v", answer, attempt, ok, err, attempt > 1)
		}
		session = append(session, lambda.ChallengeResult{ChallengeName: "CUSTOM_CHALLENGE", ChallengeResult: ok, ChallengeMetadata: ch.ChallengeMetadata})
		if ok {
			break
		}
	}
	next, err = c.DefineAuthChallenge(ctx, arn, caller, lambda.DefineAuthChallengeRequest{Session: session})
	if err != nil || !next.IssueTokens {
		t.Fatalf("define after the right answer = %+v, %v; want issueTokens", next, err)
	}
	if err := c.PreAuthentication(ctx, arn, caller, lambda.PreAuthenticationRequest{}); err != nil {
		t.Errorf("pre-authentication through the demo triggers = %v; want it allowed", err)
	}
}
