// Package triggers is the demo's own CUSTOM_AUTH Lambda triggers, served
// over the Lambda Invoke API (POST /2015-03-31/functions/{name}/invocations),
// which is what the emulator calls at its -lambda-endpoint. It asks a small
// sum ("What is 3 + 4?") so that `make demo` shows custom challenges, with and
// without SRP first, with no AWS account and no extra tools.
//
// The trigger is chosen by the event's triggerSource, as one Lambda function
// serving several triggers would do, so the function names in the pool's
// LambdaConfig ARNs are free. Events this package does not handle (pre- and
// post-authentication, for instance) are answered unchanged, which is what a
// trigger that allows everything returns.
package triggers

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
)

// MaxAttempts is how many wrong answers the define trigger allows before it
// fails the sign-in.
const MaxAttempts = 3

// maxEventBytes bounds a request body; Cognito's events are a few kilobytes.
const maxEventBytes = 1 << 20

// challengeResult is one entry of the define and create triggers' session.
type challengeResult struct {
	ChallengeName     string `json:"challengeName"`
	ChallengeResult   bool   `json:"challengeResult"`
	ChallengeMetadata string `json:"challengeMetadata,omitempty"`
}

// request is the union of the three triggers' request members this package reads.
type request struct {
	Session                    []challengeResult `json:"session"`
	ChallengeName              string            `json:"challengeName"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeAnswer            string            `json:"challengeAnswer"`
	UserNotFound               bool              `json:"userNotFound"`
}

// Handler serves the Lambda Invoke API for any function name.
func Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2015-03-31/functions/{name}/invocations", invoke)
	return mux
}

func invoke(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxEventBytes+1))
	if err != nil {
		functionError(w, "ReadError", err.Error())
		return
	}
	if len(body) > maxEventBytes {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		json.NewEncoder(w).Encode(map[string]string{"Type": "User", "message": fmt.Sprintf("Request must be smaller than %d bytes for the InvokeFunction operation", maxEventBytes)})
		return
	}
	out, err := Handle(body)
	if err != nil {
		functionError(w, "InvalidEvent", err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(out)
}

// functionError answers as Lambda does when the function itself failed:
// status 200, X-Amz-Function-Error, and the error as the payload.
func functionError(w http.ResponseWriter, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amz-Function-Error", "Unhandled")
	json.NewEncoder(w).Encode(map[string]string{"errorType": typ, "errorMessage": "demo trigger: " + msg})
}

// Handle runs the trigger the event names and returns the event with its
// response filled in. Every member of the event is kept as it came.
func Handle(event []byte) ([]byte, error) {
	var ev map[string]json.RawMessage
	if err := json.Unmarshal(event, &ev); err != nil {
		return nil, fmt.Errorf("the event is not a JSON object: %w", err)
	}
	var source string
	if raw, ok := ev["triggerSource"]; !ok || json.Unmarshal(raw, &source) != nil {
		return nil, fmt.Errorf("the event has no triggerSource string")
	}
	var req request
	if raw, ok := ev["request"]; ok {
		if err := json.Unmarshal(raw, &req); err != nil {
			return nil, fmt.Errorf("%s: request: %w", source, err)
		}
	}
	var resp any
	switch source {
	case "DefineAuthChallenge_Authentication":
		resp = define(req)
	case "CreateAuthChallenge_Authentication":
		r, err := create(req)
		if err != nil {
			return nil, err
		}
		resp = r
	case "VerifyAuthChallengeResponse_Authentication":
		resp = verify(req)
	default:
		return event, nil
	}
	raw, err := json.Marshal(resp)
	if err != nil {
		return nil, err
	}
	ev["response"] = raw
	return json.Marshal(ev)
}

type defineResponse struct {
	ChallengeName      string `json:"challengeName,omitempty"`
	IssueTokens        bool   `json:"issueTokens"`
	FailAuthentication bool   `json:"failAuthentication"`
}

// define walks the sequence: SRP first when the client started with SRP_A
// (CUSTOM_WITH_SRP), then the sum, again after a wrong answer up to
// MaxAttempts, then tokens.
func define(req request) defineResponse {
	s := req.Session
	if req.UserNotFound {
		// Ask anyway, so an unknown user looks like a known one until the answer.
		if wrong(s) >= MaxAttempts {
			return defineResponse{FailAuthentication: true}
		}
		return defineResponse{ChallengeName: "CUSTOM_CHALLENGE"}
	}
	if len(s) == 0 {
		return defineResponse{ChallengeName: "CUSTOM_CHALLENGE"}
	}
	last := s[len(s)-1]
	switch {
	case last.ChallengeName == "SRP_A":
		return defineResponse{ChallengeName: "PASSWORD_VERIFIER"}
	case last.ChallengeName == "PASSWORD_VERIFIER" && last.ChallengeResult:
		return defineResponse{ChallengeName: "CUSTOM_CHALLENGE"}
	case last.ChallengeName == "CUSTOM_CHALLENGE" && last.ChallengeResult:
		return defineResponse{IssueTokens: true}
	case last.ChallengeName == "CUSTOM_CHALLENGE" && wrong(s) < MaxAttempts:
		return defineResponse{ChallengeName: "CUSTOM_CHALLENGE"}
	}
	return defineResponse{FailAuthentication: true}
}

func wrong(s []challengeResult) int {
	n := 0
	for _, c := range s {
		if c.ChallengeName == "CUSTOM_CHALLENGE" && !c.ChallengeResult {
			n++
		}
	}
	return n
}

type createResponse struct {
	PublicChallengeParameters  map[string]string `json:"publicChallengeParameters"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeMetadata          string            `json:"challengeMetadata"`
}

// create asks for the sum of two digits drawn from crypto/rand. The question
// goes to the client (public), the answer only to the verify trigger (private).
func create(req request) (createResponse, error) {
	if req.ChallengeName != "CUSTOM_CHALLENGE" {
		return createResponse{}, fmt.Errorf("CreateAuthChallenge for %q: only CUSTOM_CHALLENGE is created here", req.ChallengeName)
	}
	a, err := digit()
	if err != nil {
		return createResponse{}, err
	}
	b, err := digit()
	if err != nil {
		return createResponse{}, err
	}
	return createResponse{
		PublicChallengeParameters:  map[string]string{"question": fmt.Sprintf("What is %d + %d?", a, b)},
		PrivateChallengeParameters: map[string]string{"answer": fmt.Sprint(a + b)},
		ChallengeMetadata:          "SUM",
	}, nil
}

func digit() (int64, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(9))
	if err != nil {
		return 0, err
	}
	return n.Int64() + 1, nil
}

type verifyResponse struct {
	AnswerCorrect bool `json:"answerCorrect"`
}

func verify(req request) verifyResponse {
	want := req.PrivateChallengeParameters["answer"]
	got := strings.TrimSpace(req.ChallengeAnswer)
	ok := want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
	return verifyResponse{AnswerCorrect: ok && !req.UserNotFound}
}
