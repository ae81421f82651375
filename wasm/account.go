//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"syscall/js"
	"time"

	"github.com/aws/smithy-go"

	"github.com/cognito-wasm/cognito-wasm/internal/jsbridge"
	"github.com/cognito-wasm/cognito-wasm/signin"
)

// The account half of a client. The shim (js/cognito-wasm.js) offers
// Amplify JS v6's signUp ... deleteUser: it checks the input, builds
// Cognito's request and shapes the answer. Here is only what must be in Go:
// the client's secret (SECRET_HASH, ClientSecret), the signed-in user's
// access token (from the session, refreshed when due), the password kept
// for auto sign-in, and signing out after deleteUser. One method carries
// every operation (account.Client.Send): a Go function per operation,
// reading and shaping its values, would cost the module several KB each.

func init() {
	handleMethods["accountCall"] = (*handle).prepareAccountCall
	handleMethods["autoSignIn"] = (*handle).prepareAutoSignIn
}

// maxRequestJSON bounds the request text (fetch refuses larger bodies anyway).
const maxRequestJSON = 1 << 20

// accountRequest is accountCall's argument, JSON text the shim writes:
// Request is Cognito's request, sent as it is after the client's own
// fields are added (account.Client.Send); AutoSignIn (SignUp only) is
// Amplify's options.autoSignIn, true or {authFlowType, preferredChallenge,
// clientMetadata}.
type accountRequest struct {
	Operation  string
	Request    json.RawMessage
	AutoSignIn *autoSignInOptions
}

type autoSignInOptions struct {
	AuthFlowType       string            `json:"authFlowType"`
	PreferredChallenge string            `json:"preferredChallenge"`
	ClientMetadata     map[string]string `json:"clientMetadata"`
}

// UnmarshalJSON takes true as the default options; false and null leave
// the pointer nil.
func (o *autoSignInOptions) UnmarshalJSON(b []byte) error {
	if string(b) == "true" {
		return nil
	}
	type plain autoSignInOptions
	return json.Unmarshal(b, (*plain)(o))
}

// prepareAccountCall reads accountCall's JSON text and sends the
// operation. It answers [Cognito's answer as JSON text, autoSignIn due]:
// the second is true after a ConfirmSignUp that auto sign-in waited for.
func (h *handle) prepareAccountCall(inV js.Value) (func() (any, error), error) {
	text, err := jsbridge.String(inV, "input")
	if err != nil {
		return nil, err
	}
	var in accountRequest
	if len(text) > maxRequestJSON || json.Unmarshal([]byte(text), &in) != nil {
		return nil, &signin.ParamError{Field: "input", Problem: "must be the JSON text of {Operation, Request, AutoSignIn}"}
	}
	var who struct{ Username, Password string } // the sign-up's, for auto sign-in
	if in.Operation == "SignUp" || in.Operation == "ConfirmSignUp" {
		_ = json.Unmarshal(in.Request, &who) // Send refuses what does not decode
	}
	return func() (any, error) {
		ctx := context.Background()
		raw, err := h.acct.Send(ctx, in.Operation, in.Request, h.sess.AccessToken)
		if err != nil {
			return nil, err
		}
		var ans struct {
			UserConfirmed bool
			Session       string
		}
		due := false
		switch in.Operation {
		case "SignUp":
			_ = json.Unmarshal(raw, &ans)
			h.auto.signedUp(in.AutoSignIn, who.Username, who.Password, ans.UserConfirmed, ans.Session)
		case "ConfirmSignUp":
			_ = json.Unmarshal(raw, &ans)
			due = h.auto.confirm(who.Username, ans.Session)
		case "DeleteUser":
			if err := h.sess.Forget(ctx); err != nil {
				return nil, err
			}
		}
		return []any{string(raw), due}, nil
	}, nil
}

// prepareAutoSignIn signs in the user whose sign-up asked for it, as
// signIn does (tokens stored, signedIn fired).
func (h *handle) prepareAutoSignIn(js.Value) (func() (any, error), error) {
	in, ok := h.auto.take()
	if !ok {
		return nil, errNoAutoSignIn
	}
	return h.runSignIn(in), nil
}

// errNoAutoSignIn is Amplify's refusal of autoSignIn() with nothing to do.
var errNoAutoSignIn = &smithy.GenericAPIError{Code: "AutoSignInException",
	Message: "The autoSignIn flow has not started, or has been cancelled/completed.", Fault: smithy.FaultClient}

// autoSignInFor is how long after signUp auto sign-in stays possible
// (Amplify's MAX_AUTOSIGNIN_POLLING_MS); a password kept for it is dropped
// then. A variable only so that a test can shorten it.
var autoSignInFor = 3 * time.Minute

// autoSignIn is what signUp with options.autoSignIn leaves for autoSignIn().
// Cognito answers SignUp and ConfirmSignUp on a client with ALLOW_USER_AUTH
// with a Session that signs the new user in once through USER_AUTH, which
// is what is used when there is one; only without it is the password kept,
// in Go memory only, for the sign-in Amplify does then.
type autoSignIn struct {
	mu        sync.Mutex
	gen       int // counts sign-ups, so that a late timer clears nothing newer
	active    bool
	confirmed bool
	session   string
	in        signin.SignInInput // username, password (when kept) and options
	expires   time.Time
	timer     *jsTimer
}

// signedUp ends any earlier auto sign-in and, when o asks for one,
// records this sign-up's.
func (a *autoSignIn) signedUp(o *autoSignInOptions, username, password string, confirmed bool, session string) {
	a.mu.Lock()
	a.clearLocked()
	if o != nil {
		a.gen++
		a.active, a.confirmed, a.session = true, confirmed, session
		a.in = signin.SignInInput{Username: username, AuthFlowType: o.AuthFlowType, PreferredChallenge: o.PreferredChallenge, ClientMetadata: o.ClientMetadata}
		if session == "" && o.AuthFlowType != signin.AuthFlowCustomWithoutSRP {
			a.in.Password = password
		}
		a.expires = time.Now().Add(autoSignInFor)
		a.timer = clearLater(autoSignInFor, a, a.gen)
	}
	a.mu.Unlock()
}

// confirm marks the sign-up of username confirmed and reports whether
// autoSignIn() is now due; session is ConfirmSignUp's, when it gave one.
func (a *autoSignIn) confirm(username, session string) bool {
	a.mu.Lock()
	due := a.activeLocked() && a.in.Username == username
	if due {
		a.confirmed = true
		if session != "" {
			a.session, a.in.Password = session, ""
		}
	}
	a.mu.Unlock()
	return due
}

// take returns the sign-in to run and ends auto sign-in: one attempt, as
// Amplify's.
func (a *autoSignIn) take() (in signin.SignInInput, ok bool) {
	a.mu.Lock()
	if ok = a.activeLocked() && a.confirmed; ok {
		in = a.in
		if a.session != "" {
			in = signin.SignInInput{Username: in.Username, AuthFlowType: signin.AuthFlowUserAuth, Session: a.session, ClientMetadata: in.ClientMetadata}
		}
		a.clearLocked()
	}
	a.mu.Unlock()
	return in, ok
}

func (a *autoSignIn) activeLocked() bool {
	if a.active && time.Now().After(a.expires) {
		a.clearLocked()
	}
	return a.active
}

// clearLocked forgets the sign-up, its password first.
func (a *autoSignIn) clearLocked() {
	a.in, a.session = signin.SignInInput{}, ""
	a.active, a.confirmed = false, false
	if a.timer != nil {
		a.timer.stop()
		a.timer = nil
	}
}

// jsTimer is a JS setTimeout whose callback is released exactly once,
// when it fires or when it is stopped, whichever comes first.
type jsTimer struct {
	id   js.Value
	fn   js.Func
	done atomic.Bool
}

func (t *jsTimer) stop() {
	if t.done.CompareAndSwap(false, true) {
		_ = jsbridge.Try(func() { js.Global().Call("clearTimeout", t.id) })
		jsbridge.Release(t.fn)
	}
}

// clearLater ends auto sign-in gen after d, so that an unused password does
// not stay in memory. It is a JS timer, not a Go one, unref'd under Node so
// that it does not keep a finished script alive; its callback only starts
// a goroutine, as a callback must not wait for a lock.
func clearLater(d time.Duration, a *autoSignIn, gen int) *jsTimer {
	t := &jsTimer{}
	t.fn = jsbridge.FuncOf(func(js.Value, []js.Value) any {
		if t.done.CompareAndSwap(false, true) {
			jsbridge.Release(t.fn) // allowed while it runs
			go func() {
				a.mu.Lock()
				if a.gen == gen {
					a.timer = nil // fired: nothing to stop
					a.clearLocked()
				}
				a.mu.Unlock()
			}()
		}
		return nil
	})
	if err := jsbridge.Try(func() {
		t.id = js.Global().Call("setTimeout", t.fn, d.Milliseconds())
		if t.id.Type() == js.TypeObject && t.id.Get("unref").Type() == js.TypeFunction {
			t.id.Call("unref")
		}
	}); err != nil {
		t.done.Store(true)
		jsbridge.Release(t.fn)
		return nil
	}
	return t
}
