//go:build js && wasm

package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"syscall/js"

	"github.com/cognito-wasm/cognito-wasm/account"
	"github.com/cognito-wasm/cognito-wasm/internal/jsbridge"
	"github.com/cognito-wasm/cognito-wasm/session"
	"github.com/cognito-wasm/cognito-wasm/signin"
)

// Version is reported as cognitoWasm.version; releases set it with -ldflags -X.
var Version = "0.1.0-dev"

// ReadyHook is the global the loader sets to learn that the namespace exists.
const ReadyHook = "__cognitoWasmReady"

// httpClient sends every request through fetch (see jsbridge.FetchTransport).
// It is not an *http.Client on purpose: http.Client.Do links net/http's
// Transport, TLS and x509 into the module (about a third of its size) for
// features fetch already has (redirects) or we do not use (cookie jars);
// cancellation travels in the request's context.
var httpClient = fetchClient{&jsbridge.FetchTransport{}}

// fetchClient is the SDK's HTTPClient (a Do method) over the fetch RoundTripper.
type fetchClient struct{ t *jsbridge.FetchTransport }

func (c fetchClient) Do(r *http.Request) (*http.Response, error) { return c.t.RoundTrip(r) }

func main() {
	ns := register(js.Global())
	if hook := js.Global().Get(ReadyHook); hook.Type() == js.TypeFunction {
		js.Global().Delete(ReadyHook)
		if err := jsbridge.Try(func() { hook.Invoke(ns) }); err != nil {
			js.Global().Get("console").Call("error", "cognito-wasm: readiness callback threw:", err.Error())
		}
	}
	select {}
}

// register builds the namespace and sets it as target.cognitoWasm. The
// functions are never released: they live as long as the program.
func register(target js.Value) js.Value {
	ns := js.Global().Get("Object").New()
	ns.Set("version", Version)
	// Raw calls: (config, request), a client built for the call.
	for name, op := range rawOps {
		op := op
		ns.Set(name, jsbridge.FuncOf(func(_ js.Value, args []js.Value) any {
			return callQueued(func() (func() (any, error), error) {
				c, err := newClient(arg(args, 0), true)
				if err != nil {
					return nil, err
				}
				return prepareRaw(c, op, arg(args, 1))
			})
		}))
	}
	ns.Set("createClient", jsbridge.FuncOf(func(_ js.Value, args []js.Value) any {
		return jsbridge.Call(func() (func() (any, error), error) {
			c, err := newClient(arg(args, 0), false)
			if err != nil {
				return nil, err
			}
			pool, _ := jsbridge.OptionalString(arg(args, 0), "userPoolId", "config.userPoolId")
			h := &handle{c: c, pool: pool}
			// createClient(config, emit): emit(type, detail) hears the session's events.
			if err := h.startSession(arg(args, 0), arg(args, 1)); err != nil {
				return nil, err
			}
			v := newHandle(h)
			return func() (any, error) { return v, nil }, nil
		})
	}))
	ns.Set("totpSetupUri", jsbridge.FuncOf(func(_ js.Value, args []js.Value) (out any) {
		defer func() {
			if r := recover(); r != nil {
				out = js.Undefined()
			}
		}()
		var parts [3]string
		for i, f := range []string{"sharedSecret", "appName", "accountName"} {
			s, err := jsbridge.String(arg(args, i), f)
			if err != nil {
				return jsbridge.ErrorValue(err)
			}
			parts[i] = s
		}
		return signin.TOTPSetupURI(parts[0], parts[1], parts[2])
	}))
	ns.Set("stats", jsbridge.FuncOf(stats))
	target.Set("cognitoWasm", ns)
	return ns
}

func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

// rawOp is one Cognito-shaped escape-hatch call.
type rawOp struct {
	respond bool
	admin   bool
}

var rawOps = map[string]rawOp{
	"initiate":      {},
	"respond":       {respond: true},
	"adminInitiate": {admin: true},
	"adminRespond":  {respond: true, admin: true},
}

// prepareRaw reads a Cognito-shaped request and returns the call. Field
// names are Cognito's, so the engine's ParamError fields are the caller's.
func prepareRaw(c *signin.Client, op rawOp, req js.Value) (func() (any, error), error) {
	if err := jsbridge.Object(req, "request"); err != nil {
		return nil, err
	}
	meta, err := stringMap(req, "ClientMetadata", "ClientMetadata")
	if err != nil {
		return nil, err
	}
	run := func(call func(ctx context.Context) (*signin.Step, error)) func() (any, error) {
		return func() (any, error) {
			step, err := call(context.Background())
			if err != nil {
				return nil, rename(err, configFields)
			}
			return stepValue(step), nil
		}
	}
	if !op.respond {
		flow, err := jsbridge.OptionalString(req, "AuthFlow", "AuthFlow")
		if err != nil {
			return nil, err
		}
		params, err := stringMap(req, "AuthParameters", "AuthParameters")
		if err != nil {
			return nil, err
		}
		in := signin.InitiateInput{AuthFlow: flow, AuthParameters: params, ClientMetadata: meta}
		if op.admin {
			return run(func(ctx context.Context) (*signin.Step, error) { return c.AdminInitiate(ctx, in) }), nil
		}
		return run(func(ctx context.Context) (*signin.Step, error) { return c.Initiate(ctx, in) }), nil
	}
	name, err := jsbridge.OptionalString(req, "ChallengeName", "ChallengeName")
	if err != nil {
		return nil, err
	}
	session, err := jsbridge.OptionalString(req, "Session", "Session")
	if err != nil {
		return nil, err
	}
	answers, err := stringMap(req, "ChallengeResponses", "ChallengeResponses")
	if err != nil {
		return nil, err
	}
	in := signin.RespondInput{ChallengeName: name, ChallengeResponses: answers, Session: session, ClientMetadata: meta}
	if op.admin {
		return run(func(ctx context.Context) (*signin.Step, error) { return c.AdminRespond(ctx, in) }), nil
	}
	return run(func(ctx context.Context) (*signin.Step, error) { return c.Respond(ctx, in) }), nil
}

// stringMap reads obj[key] as a string map named field.
func stringMap(obj js.Value, key, field string) (map[string]string, error) {
	v, err := jsbridge.Get(obj, key, field)
	if err != nil {
		return nil, err
	}
	return jsbridge.StringMap(v, field)
}

// configFields maps the engine's config field names to the caller's.
var configFields = map[string]string{
	"UserPoolId": "config.userPoolId", "ClientId": "config.clientId", "ClientSecret": "config.clientSecret",
	"Region": "config.region", "Endpoint": "config.endpoint", "Credentials": "config.credentials",
}

// signInFields and confirmFields map the engine's input fields to the JS names.
var (
	signInFields = map[string]string{
		"Username": "username", "Password": "password", "AuthFlowType": "options.authFlowType",
		"PreferredChallenge": "options.preferredChallenge", "ClientMetadata": "options.clientMetadata",
		"Credentials": "config.credentials",
	}
	confirmFields = map[string]string{
		"ChallengeResponse": "challengeResponse", "UserAttributes": "options.userAttributes",
		"ClientMetadata": "options.clientMetadata", "FriendlyDeviceName": "options.friendlyDeviceName",
		"Pending": "signIn", "Credentials": "config.credentials",
	}
	credentialFields = map[string]string{
		"Credentials.AccessKeyId": "config.credentials.accessKeyId", "Credentials.SecretAccessKey": "config.credentials.secretAccessKey",
		"Credentials.SessionToken": "config.credentials.sessionToken",
	}
)

// rename puts the JS path on an engine ParamError: the first segment of its
// Field is looked up in names, the rest (a map key) is kept.
func rename(err error, names map[string]string) error {
	var pe *signin.ParamError
	if !errors.As(err, &pe) {
		return err
	}
	if js, ok := names[pe.Field]; ok {
		return &signin.ParamError{Field: js, Problem: pe.Problem}
	}
	head, rest, found := strings.Cut(pe.Field, ".")
	if js, ok := names[head]; ok && found {
		return &signin.ParamError{Field: js + "." + rest, Problem: pe.Problem}
	}
	return err
}

// newClient reads config and builds an engine client. Arguments are only
// converted here; the engine checks them and names what is wrong. A oneShot
// client serves one raw call, so it prepares no SRP ephemeral ahead.
func newClient(cfgV js.Value, oneShot bool) (*signin.Client, error) {
	if err := jsbridge.Object(cfgV, "config"); err != nil {
		return nil, err
	}
	var cfg signin.Config
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"userPoolId", &cfg.UserPoolID},
		{"clientId", &cfg.ClientID},
		{"clientSecret", &cfg.ClientSecret},
		{"region", &cfg.Region},
		{"endpoint", &cfg.Endpoint},
	} {
		s, err := jsbridge.OptionalString(cfgV, f.key, "config."+f.key)
		if err != nil {
			return nil, err
		}
		*f.dst = s
	}
	credV, err := jsbridge.Get(cfgV, "credentials", "config.credentials")
	if err != nil {
		return nil, err
	}
	if !jsbridge.IsNullish(credV) {
		if err := jsbridge.Object(credV, "config.credentials"); err != nil {
			return nil, err
		}
		var keys [3]string
		for i, k := range []string{"accessKeyId", "secretAccessKey", "sessionToken"} {
			if keys[i], err = jsbridge.OptionalString(credV, k, "config.credentials."+k); err != nil {
				return nil, err
			}
		}
		if cfg.Credentials, err = signin.StaticCredentials(keys[0], keys[1], keys[2]); err != nil {
			return nil, rename(err, credentialFields)
		}
	}
	cfg.HTTPClient = httpClient
	cfg.Compute = jsbridge.Compute  // also gates the ephemeral built in the background
	cfg.Background = jsbridge.Yield // which starts once createClient has settled
	cfg.OneShot = oneShot
	c, err := signin.New(cfg)
	if err != nil {
		return nil, rename(err, configFields)
	}
	return c, nil
}

// handle is the Go side of createClient: one engine client and the sign-in
// in progress, whose session never leaves the module.
type handle struct {
	c    *signin.Client
	pool string           // the user pool ID: the issuer of setupUri
	acct *account.Client  // the calls around sign-in (session.go makes it)
	sess *session.Manager // the stored session (session.go)

	mu      sync.Mutex
	pending *signin.Pending
	details *session.SignInDetails // of the sign-in pending, stored with its tokens
	auto    autoSignIn             // a sign-up's auto sign-in, until used or expired (account.go)
}

// handleMethods are client methods beyond the sign-in ones, registered by
// each file's init (session.go, account.go): name -> prepare.
var handleMethods = map[string]func(h *handle, in js.Value) (func() (any, error), error){}

// handles are the live clients by id. The JS objects that stand for them
// share clientCall and disposeClient, bound to their ids, instead of owning
// js.Funcs: a released js.Func called again would crash the runtime, and
// per-client functions would never be freed. A client is dropped by its
// dispose() or, where FinalizationRegistry exists, once its JS object is
// garbage-collected.
var handles = struct {
	sync.Mutex
	m    map[int]*handle
	next int
}{m: map[int]*handle{}}

var (
	clientCall = jsbridge.FuncOf(func(_ js.Value, args []js.Value) any {
		return callQueued(func() (func() (any, error), error) {
			// id and method come from makeClient's wrappers, not the caller.
			id, method := arg(args, 0).Int(), arg(args, 1).String()
			handles.Lock()
			h := handles.m[id]
			handles.Unlock()
			if h == nil {
				return nil, &signin.ParamError{Field: "client", Problem: "was disposed; create another with createAuth"}
			}
			in := arg(args, 2)
			if m, ok := handleMethods[method]; ok {
				return m(h, in)
			}
			switch method {
			case "signIn":
				return h.prepareSignIn(in)
			case "confirmSignIn":
				return h.prepareConfirm(in)
			}
			return prepareRaw(h.c, rawOps[method], in)
		})
	})
	releaseClient = jsbridge.FuncOf(func(_ js.Value, args []js.Value) any {
		if v := arg(args, 0); v.Type() == js.TypeNumber {
			handles.Lock()
			delete(handles.m, v.Int())
			handles.Unlock()
		}
		return nil
	})
	// disposeClient(id, client) is every client's dispose, bound to both.
	disposeClient = jsbridge.FuncOf(func(_ js.Value, args []js.Value) any {
		if !finalization.IsNull() {
			finalization.Call("unregister", arg(args, 1))
		}
		return releaseClient.Invoke(arg(args, 0))
	})
	// finalization releases a client whose JS object was garbage-collected;
	// null where FinalizationRegistry does not exist.
	finalization = func() js.Value {
		if fr := js.Global().Get("FinalizationRegistry"); fr.Type() == js.TypeFunction {
			return fr.New(releaseClient)
		}
		return js.Null()
	}()
	jsObject = js.Global().Get("Object")
)

// clientMethods are the methods of a client object, each clientCall bound
// to the client's id and the method's name (Function.prototype.bind: no
// JavaScript source is evaluated, so no CSP 'unsafe-eval' is needed).
var clientMethods = []string{"signIn", "confirmSignIn", "initiate", "respond", "adminInitiate", "adminRespond"}

// newHandle registers a client and returns the frozen JS object that stands
// for it.
func newHandle(h *handle) js.Value {
	handles.Lock()
	handles.next++
	id := handles.next
	handles.m[id] = h
	handles.Unlock()
	client := jsObject.New()
	for _, m := range clientMethods {
		client.Set(m, clientCall.Call("bind", nil, id, m))
	}
	for m := range handleMethods {
		client.Set(m, clientCall.Call("bind", nil, id, m))
	}
	client.Set("dispose", disposeClient.Call("bind", nil, id, client))
	jsObject.Call("freeze", client)
	if !finalization.IsNull() {
		finalization.Call("register", client, id, client)
	}
	return client
}

// prepareSignIn reads {username, password, options: {authFlowType,
// preferredChallenge, clientMetadata}}. A new sign-in replaces the pending one.
func (h *handle) prepareSignIn(inV js.Value) (func() (any, error), error) {
	if err := jsbridge.Object(inV, "input"); err != nil {
		return nil, err
	}
	var in signin.SignInInput
	var err error
	if in.Username, err = jsbridge.OptionalString(inV, "username", "username"); err != nil {
		return nil, err
	}
	if in.Password, err = jsbridge.OptionalString(inV, "password", "password"); err != nil {
		return nil, err
	}
	opts, err := options(inV)
	if err != nil {
		return nil, err
	}
	if !jsbridge.IsNullish(opts) {
		if in.AuthFlowType, err = jsbridge.OptionalString(opts, "authFlowType", "options.authFlowType"); err != nil {
			return nil, err
		}
		if in.PreferredChallenge, err = jsbridge.OptionalString(opts, "preferredChallenge", "options.preferredChallenge"); err != nil {
			return nil, err
		}
		if in.ClientMetadata, err = stringMap(opts, "clientMetadata", "options.clientMetadata"); err != nil {
			return nil, err
		}
	}
	return h.runSignIn(in), nil
}

// runSignIn is the work of signIn (and of autoSignIn): it replaces the
// pending sign-in, and stores the tokens of one that ends signed in.
func (h *handle) runSignIn(in signin.SignInInput) func() (any, error) {
	flow := in.AuthFlowType
	if flow == "" {
		flow = signin.AuthFlowUserSRP
	}
	details := &session.SignInDetails{LoginID: in.Username, AuthFlowType: flow}
	h.withDevices(&in)
	return func() (any, error) {
		ctx := context.Background()
		res, err := h.c.SignIn(ctx, in)
		if err != nil {
			return nil, rename(err, signInFields)
		}
		h.mu.Lock()
		h.pending, h.details = res.Pending, details
		h.mu.Unlock()
		if err := h.storeSignIn(ctx, res, details); err != nil {
			return nil, err
		}
		return resultValue(res, h.pool), nil
	}
}

// prepareConfirm reads {challengeResponse, options: {userAttributes,
// clientMetadata, friendlyDeviceName}} and answers the pending sign-in. On
// error the pending sign-in stays, so a wrong code can be retried.
func (h *handle) prepareConfirm(inV js.Value) (func() (any, error), error) {
	if err := jsbridge.Object(inV, "input"); err != nil {
		return nil, err
	}
	var in signin.ConfirmInput
	var err error
	if in.ChallengeResponse, err = jsbridge.OptionalString(inV, "challengeResponse", "challengeResponse"); err != nil {
		return nil, err
	}
	opts, err := options(inV)
	if err != nil {
		return nil, err
	}
	if !jsbridge.IsNullish(opts) {
		if in.UserAttributes, err = stringMap(opts, "userAttributes", "options.userAttributes"); err != nil {
			return nil, err
		}
		if in.ClientMetadata, err = stringMap(opts, "clientMetadata", "options.clientMetadata"); err != nil {
			return nil, err
		}
		if in.FriendlyDeviceName, err = jsbridge.OptionalString(opts, "friendlyDeviceName", "options.friendlyDeviceName"); err != nil {
			return nil, err
		}
	}
	h.mu.Lock()
	p, details := h.pending, h.details
	h.mu.Unlock()
	return func() (any, error) {
		ctx := context.Background()
		res, err := h.c.ConfirmSignIn(ctx, p, in)
		if err != nil {
			var pe *signin.ProgressError
			if errors.As(err, &pe) {
				h.mu.Lock()
				if h.pending == p {
					h.pending = pe.Pending // the server moved on; a retry continues from there
				}
				h.mu.Unlock()
			}
			return nil, rename(err, confirmFields)
		}
		h.mu.Lock()
		if h.pending == p { // unless a new signIn replaced it meanwhile
			h.pending = res.Pending
		}
		h.mu.Unlock()
		if err := h.storeSignIn(ctx, res, details); err != nil {
			return nil, err
		}
		return resultValue(res, h.pool), nil
	}, nil
}

// options reads input.options, which must be an object when present.
func options(inV js.Value) (js.Value, error) {
	opts, err := jsbridge.Get(inV, "options", "options")
	if err != nil || jsbridge.IsNullish(opts) {
		return opts, err
	}
	if err := jsbridge.Object(opts, "options"); err != nil {
		return js.Undefined(), err
	}
	return opts, nil
}

// resultValue shapes a Result as Amplify's signIn output. A TOTP setup's
// setupUri names the user pool as issuer; getSetupUri (added by the shim)
// names the app.
func resultValue(r *signin.Result, issuer string) map[string]any {
	ns := r.NextStep
	next := map[string]any{"signInStep": ns.SignInStep}
	if d := ns.CodeDeliveryDetails; d != nil {
		cd := map[string]any{"deliveryMedium": d.DeliveryMedium, "destination": d.Destination}
		if d.AttributeName != "" {
			cd["attributeName"] = d.AttributeName
		}
		next["codeDeliveryDetails"] = cd
	}
	if ns.AllowedMFATypes != nil {
		next["allowedMFATypes"] = list(ns.AllowedMFATypes)
	}
	if d := ns.TOTPSetupDetails; d != nil {
		next["totpSetupDetails"] = map[string]any{"sharedSecret": d.SharedSecret, "accountName": d.AccountName, "setupUri": d.SetupURI(issuer, "")}
	}
	if ns.MissingAttributes != nil {
		next["missingAttributes"] = list(ns.MissingAttributes)
	}
	if ns.AdditionalInfo != nil {
		next["additionalInfo"] = stringMapValue(ns.AdditionalInfo)
	}
	if ns.AvailableChallenges != nil {
		next["availableChallenges"] = list(ns.AvailableChallenges)
	}
	if ns.CredentialRequestOptions != "" { // the shim answers this step itself (passkeys.go)
		next["credentialRequestOptions"] = ns.CredentialRequestOptions
	}
	out := map[string]any{"isSignedIn": r.IsSignedIn, "nextStep": next}
	if t := r.Tokens; t != nil {
		tok := map[string]any{"idToken": t.IdToken, "accessToken": t.AccessToken, "expiresIn": t.ExpiresIn, "tokenType": t.TokenType}
		if t.RefreshToken != "" {
			tok["refreshToken"] = t.RefreshToken
		}
		if d := t.NewDeviceMetadata; d != nil {
			tok["newDeviceMetadata"] = map[string]any{"deviceKey": d.DeviceKey, "deviceGroupKey": d.DeviceGroupKey}
		}
		out["tokens"] = tok
	}
	return out
}

func list(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// stepValue shapes a Step as Cognito's JSON would be, leaving out what is empty.
func stepValue(s *signin.Step) map[string]any {
	out := map[string]any{}
	if s.ChallengeName != "" {
		out["ChallengeName"] = s.ChallengeName
	}
	if s.ChallengeParameters != nil {
		out["ChallengeParameters"] = stringMapValue(s.ChallengeParameters)
	}
	if s.Session != "" {
		out["Session"] = s.Session
	}
	if len(s.AvailableChallenges) > 0 {
		out["AvailableChallenges"] = list(s.AvailableChallenges)
	}
	if t := s.AuthenticationResult; t != nil {
		res := map[string]any{
			"AccessToken": t.AccessToken,
			"IdToken":     t.IdToken,
			"ExpiresIn":   t.ExpiresIn,
			"TokenType":   t.TokenType,
		}
		if t.RefreshToken != "" {
			res["RefreshToken"] = t.RefreshToken
		}
		if d := t.NewDeviceMetadata; d != nil {
			res["NewDeviceMetadata"] = map[string]any{"DeviceKey": d.DeviceKey, "DeviceGroupKey": d.DeviceGroupKey}
		}
		out["AuthenticationResult"] = res
	}
	return out
}

func stringMapValue(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
