//go:build js && wasm

package main

import (
	"context"
	"syscall/js"

	"github.com/cognito-wasm/cognito-wasm/account"
	"github.com/cognito-wasm/cognito-wasm/internal/jsbridge"
	"github.com/cognito-wasm/cognito-wasm/session"
	"github.com/cognito-wasm/cognito-wasm/signin"
)

// The session half of a client: createAuth's storage option, the stored
// tokens, fetchAuthSession, getCurrentUser, signOut and the events.

func init() {
	handleMethods["session"] = (*handle).prepareSession
	handleMethods["signOut"] = (*handle).prepareSignOut
}

// startSession makes the handle's account client and session manager.
// emit, when a function, hears the events as emit(type, username, userId,
// error); the shim makes CustomEvents of them.
func (h *handle) startSession(cfgV, emit js.Value) error {
	var cfg account.Config
	for _, f := range []struct {
		key string
		dst *string
	}{{"userPoolId", &cfg.UserPoolID}, {"clientId", &cfg.ClientID}, {"clientSecret", &cfg.ClientSecret}, {"region", &cfg.Region}, {"endpoint", &cfg.Endpoint}} {
		s, err := jsbridge.OptionalString(cfgV, f.key, "config."+f.key)
		if err != nil {
			return err
		}
		*f.dst = s
	}
	cfg.HTTPClient = httpClient
	acct, err := account.New(cfg)
	if err != nil {
		return rename(err, configFields)
	}
	st, err := storageFrom(cfgV)
	if err != nil {
		return err
	}
	var onEvent func(session.Event)
	if typeIs(emit, js.TypeFunction) {
		onEvent = func(ev session.Event) {
			e := js.Undefined()
			if ev.Err != nil {
				e = jsbridge.ErrorValue(ev.Err)
			}
			// A listener's exception is the app's; it must not fail the call.
			_ = jsbridge.Try(func() { emit.Invoke(ev.Type, ev.Username, ev.UserID, e) })
		}
	}
	sess, err := session.New(session.Config{ClientID: cfg.ClientID, Storage: st, API: acct, Initiate: h.c, OnEvent: onEvent})
	if err != nil {
		return rename(err, configFields)
	}
	h.acct, h.sess = acct, sess
	return nil
}

// storeSignIn keeps the tokens of a sign-in that ended signed in (and
// reports signedIn).
func (h *handle) storeSignIn(ctx context.Context, res *signin.Result, details *session.SignInDetails) error {
	if !res.IsSignedIn || res.Tokens == nil {
		return nil
	}
	_, err := h.sess.Store(ctx, res.Tokens, details)
	return err
}

// prepareSession is the module side of fetchAuthSession and getCurrentUser:
// session(forceRefresh) is null when no one is signed in, else [access
// token, id token or "", loginId, authFlowType]. The shim decodes the
// payloads and checks the argument's type (here only true forces).
func (h *handle) prepareSession(force js.Value) (func() (any, error), error) {
	f := force.Equal(js.ValueOf(true))
	return func() (any, error) {
		t, err := h.sess.Fresh(context.Background(), f)
		if err != nil || t == nil {
			return nil, err
		}
		out := []any{t.AccessToken.Raw, "", "", ""}
		if t.IDToken != nil {
			out[1] = t.IDToken.Raw
		}
		if d := t.SignInDetails; d != nil {
			out[2], out[3] = d.LoginID, d.AuthFlowType
		}
		return out, nil
	}, nil
}

// prepareSignOut is signOut(global): RevokeToken, or GlobalSignOut when
// global is true, then the session cleared.
func (h *handle) prepareSignOut(global js.Value) (func() (any, error), error) {
	g := global.Equal(js.ValueOf(true))
	return func() (any, error) {
		return nil, h.sess.SignOut(context.Background(), g)
	}, nil
}

// storageFrom reads config.storage: nullish for memory, or an object with
// getItem, setItem and removeItem (which may return Promises). The shim
// turns 'memory', 'localStorage' and 'sessionStorage' into these.
func storageFrom(cfgV js.Value) (session.Storage, error) {
	v, err := jsbridge.Get(cfgV, "storage", "config.storage")
	if err != nil || jsbridge.IsNullish(v) {
		return session.NewMemoryStorage(), err
	}
	if jsbridge.Object(v, "config.storage") != nil {
		return nil, &signin.ParamError{Field: "config.storage", Problem: "must be 'memory', 'localStorage', 'sessionStorage' or an object with getItem, setItem and removeItem"}
	}
	for _, m := range [...]string{"getItem", "setItem", "removeItem"} {
		if f, err := jsbridge.Get(v, m, "config.storage."+m); err != nil || !typeIs(f, js.TypeFunction) {
			return nil, &signin.ParamError{Field: "config.storage." + m, Problem: "must be a function"}
		}
	}
	return jsStorage{v}, nil
}

// jsStorage is a Storage over a Web Storage object or the app's own
// {getItem, setItem, removeItem}, whose results may be Promises. Its
// exceptions and rejections come back as errors (jsbridge.JSError).
type jsStorage struct{ v js.Value }

func (s jsStorage) call(ctx context.Context, method string, args ...any) (js.Value, error) {
	var r js.Value
	if err := jsbridge.Try(func() { r = s.v.Call(method, args...) }); err != nil {
		return js.Undefined(), err
	}
	return jsbridge.Await(ctx, r)
}

func (s jsStorage) Get(ctx context.Context, key string) (string, bool, error) {
	r, err := s.call(ctx, "getItem", key)
	if err != nil || jsbridge.IsNullish(r) {
		return "", false, err
	}
	if !typeIs(r, js.TypeString) {
		return "", false, &signin.ParamError{Field: "config.storage.getItem", Problem: "must return a string or null"}
	}
	return r.String(), true, nil
}

func (s jsStorage) Set(ctx context.Context, key, value string) error {
	_, err := s.call(ctx, "setItem", key, value)
	return err
}

func (s jsStorage) Remove(ctx context.Context, key string) error {
	_, err := s.call(ctx, "removeItem", key)
	return err
}

// typeIs reports whether v has type t; false for a BigInt, whose Type()
// panics.
func typeIs(v js.Value, t js.Type) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return v.Type() == t
}
