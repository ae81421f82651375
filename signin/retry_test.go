//go:build !(js && wasm)

package signin

import (
	"errors"
	"net"
	"syscall"
	"testing"
)

// timeoutErr is what a transport deadline looks like to the SDK's retryer.
type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// unsentErr is a transport error that knows the request never left, as
// jsbridge's fetch errors say.
type unsentErr struct{ notSent bool }

func (e unsentErr) Error() string        { return "fetch failed" }
func (e unsentErr) RequestNotSent() bool { return e.notSent }

// TestChallengeAnswersAreNeverResent: when the transport fails after the
// server has answered (the session is spent), the engine does not send the
// answer again, whatever the error looks like, and reports the failure.
func TestChallengeAnswersAreNeverResent(t *testing.T) {
	em := newEmulator(t)
	for _, tt := range []struct {
		name string
		err  error
	}{
		{"connection reset", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}},
		{"timeout", timeoutErr{}},
		{"fetch error that may have left", unsentErr{notSent: false}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, tr := emuClient(t, em, emuAliasPool, emuPublic, "")
			tr.after = func(target string, n int) error {
				if target == "RespondToAuthChallenge" {
					return tt.err
				}
				return nil
			}
			res, err := c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice"})
			if err == nil || !errors.Is(err, tt.err) && !errors.As(err, new(unsentErr)) {
				t.Fatalf("SignIn = %+v, %v; want the transport error", res, err)
			}
			if n := tr.Count("RespondToAuthChallenge"); n != 1 {
				t.Errorf("RespondToAuthChallenge sent %d times; want exactly 1 (a resent answer is refused by the server)", n)
			}
		})
	}
}

// TestUnsentRequestsAreRetried: a request that provably never left (a failed
// dial, or a fetch error saying so) is sent again, and the sign-in completes.
func TestUnsentRequestsAreRetried(t *testing.T) {
	em := newEmulator(t)
	for _, tt := range []struct {
		name string
		err  error
	}{
		{"dial refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}},
		{"fetch error that did not leave", unsentErr{notSent: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, tr := emuClient(t, em, emuAliasPool, emuPublic, "")
			tr.before = func(target string, n int) error {
				if target == "RespondToAuthChallenge" && n == 1 {
					return tt.err
				}
				return nil
			}
			res, err := c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice"})
			if err != nil || !res.IsSignedIn {
				t.Fatalf("SignIn = %+v, %v; want DONE after one retry", res, err)
			}
			if n := tr.Count("RespondToAuthChallenge"); n != 2 {
				t.Errorf("RespondToAuthChallenge sent %d times; want 2 (one that never left, one answered)", n)
			}
		})
	}
}

// TestInitiateIsRetried: starting a flow spends no session, so the SDK's
// usual retries apply to it (a 500 is retried, NotAuthorizedException not).
func TestInitiateRetries(t *testing.T) {
	for _, tt := range []struct {
		code string
		want int
	}{
		{"InternalErrorException", 3},
		{"NotAuthorizedException", 1},
	} {
		t.Run(tt.code, func(t *testing.T) {
			c, tr := emuClient(t, errorServer{tt.code, "x"}, emuAliasPool, emuPublic, "")
			_, err := c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "p", AuthFlowType: AuthFlowUserPassword})
			if code, _ := apiCode(err); code != tt.code {
				t.Fatalf("SignIn error = %v; want %s", err, tt.code)
			}
			if n := tr.Count("InitiateAuth"); n != tt.want {
				t.Errorf("InitiateAuth sent %d times; want %d", n, tt.want)
			}
		})
	}
}
