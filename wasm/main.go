//go:build js && wasm

package main

import (
	"context"
	"errors"
	"net/http"
	"syscall/js"

	"github.com/cognito-wasm/cognito-wasm/internal/jsbridge"
	"github.com/cognito-wasm/cognito-wasm/signin"
)

// Version is reported as cognitoWasm.version; releases set it with -ldflags -X.
var Version = "0.1.0-dev"

// ReadyHook is the global the loader sets to learn that the namespace exists.
const ReadyHook = "__cognitoWasmReady"

// httpClient sends every request through fetch (see jsbridge.FetchTransport).
var httpClient = &http.Client{Transport: &jsbridge.FetchTransport{}}

var mapLimits = jsbridge.Limits{MaxEntries: signin.MaxMapEntries, MaxKeyLen: signin.MaxKeyLen, MaxValueLen: signin.MaxValueLen}

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
	ns.Set("initiate", js.FuncOf(func(_ js.Value, args []js.Value) any {
		return jsbridge.Call(func() (func() (any, error), error) { return prepareInitiate(args) })
	}))
	ns.Set("respond", js.FuncOf(func(_ js.Value, args []js.Value) any {
		return jsbridge.Call(func() (func() (any, error), error) { return prepareRespond(args) })
	}))
	target.Set("cognitoWasm", ns)
	return ns
}

func prepareInitiate(args []js.Value) (func() (any, error), error) {
	c, req, err := configAndRequest(args)
	if err != nil {
		return nil, err
	}
	flow, err := jsbridge.OptionalString(req, "AuthFlow", "AuthFlow", 128)
	if err != nil {
		return nil, err
	}
	params, err := field(req, "AuthParameters")
	if err != nil {
		return nil, err
	}
	meta, err := field(req, "ClientMetadata")
	if err != nil {
		return nil, err
	}
	in := signin.InitiateInput{AuthFlow: flow, AuthParameters: params, ClientMetadata: meta}
	return runStep(func(ctx context.Context) (*signin.Step, error) { return c.Initiate(ctx, in) }), nil
}

// runStep is the work half of a call: run the engine, shape its Step for JS.
// No Go deadline here: each fetch has its own (see FetchTransport).
func runStep(call func(context.Context) (*signin.Step, error)) func() (any, error) {
	return func() (any, error) {
		step, err := call(context.Background())
		if err != nil {
			return nil, err
		}
		return stepValue(step), nil
	}
}

func prepareRespond(args []js.Value) (func() (any, error), error) {
	c, req, err := configAndRequest(args)
	if err != nil {
		return nil, err
	}
	name, err := jsbridge.OptionalString(req, "ChallengeName", "ChallengeName", 128)
	if err != nil {
		return nil, err
	}
	session, err := jsbridge.OptionalString(req, "Session", "Session", signin.MaxSessionLen)
	if err != nil {
		return nil, err
	}
	answers, err := field(req, "ChallengeResponses")
	if err != nil {
		return nil, err
	}
	meta, err := field(req, "ClientMetadata")
	if err != nil {
		return nil, err
	}
	in := signin.RespondInput{ChallengeName: name, ChallengeResponses: answers, Session: session, ClientMetadata: meta}
	return runStep(func(ctx context.Context) (*signin.Step, error) { return c.Respond(ctx, in) }), nil
}

func field(req js.Value, name string) (map[string]string, error) {
	v, err := jsbridge.Get(req, name, name)
	if err != nil {
		return nil, err
	}
	return jsbridge.StringMap(v, name, mapLimits)
}

// configFields maps the engine's field names to the names the JS caller used.
var configFields = map[string]string{
	"UserPoolId": "config.userPoolId", "ClientId": "config.clientId", "ClientSecret": "config.clientSecret",
	"Region": "config.region", "Endpoint": "config.endpoint",
}

// configAndRequest reads (config, request) and builds an engine client.
// Arguments past the second are ignored, as JS functions do.
func configAndRequest(args []js.Value) (*signin.Client, js.Value, error) {
	arg := func(i int) js.Value {
		if i < len(args) {
			return args[i]
		}
		return js.Undefined()
	}
	cfgV, reqV := arg(0), arg(1)
	if err := jsbridge.Object(cfgV, "config"); err != nil {
		return nil, js.Value{}, err
	}
	var cfg signin.Config
	for _, f := range []struct {
		key string
		dst *string
		max int
	}{
		{"userPoolId", &cfg.UserPoolID, 128},
		{"clientId", &cfg.ClientID, 256},
		{"clientSecret", &cfg.ClientSecret, 1024},
		{"region", &cfg.Region, 64},
		{"endpoint", &cfg.Endpoint, 4096},
	} {
		s, err := jsbridge.OptionalString(cfgV, f.key, "config."+f.key, f.max)
		if err != nil {
			return nil, js.Value{}, err
		}
		*f.dst = s
	}
	cfg.HTTPClient = httpClient
	c, err := signin.New(cfg)
	if err != nil {
		var pe *signin.ParamError
		if errors.As(err, &pe) {
			if name, ok := configFields[pe.Field]; ok {
				return nil, js.Value{}, &signin.ParamError{Field: name, Problem: pe.Problem}
			}
		}
		return nil, js.Value{}, err
	}
	if err := jsbridge.Object(reqV, "request"); err != nil {
		return nil, js.Value{}, err
	}
	return c, reqV, nil
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
		list := make([]any, len(s.AvailableChallenges))
		for i, c := range s.AvailableChallenges {
			list[i] = c
		}
		out["AvailableChallenges"] = list
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
