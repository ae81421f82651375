//go:build js && wasm

package jsbridge

import (
	"context"
	"errors"
	"fmt"
	"github.com/cognito-wasm/cognito-wasm/signin"
	"io"
	"net/http"
	"strings"
	"syscall/js"
	"testing"
	"time"
)

func ctxT(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// jsEval runs a JS function body and returns its value.
func jsEval(body string) js.Value {
	return js.Global().Get("Function").New(body).Invoke()
}

func TestPromise(t *testing.T) {
	tests := []struct {
		name     string
		fn       func() (any, error)
		wantOK   string // JSON of the resolved value
		wantName string
		wantMsg  string
	}{
		{"resolves", func() (any, error) { return map[string]any{"a": "b", "n": 3}, nil }, `{"a":"b","n":3}`, "", ""},
		{"resolves nil", func() (any, error) { return nil, nil }, `null`, "", ""},
		{"coded error", func() (any, error) {
			return nil, &signin.ParamError{Field: "AuthParameters.USERNAME", Problem: "must be a string, not a number"}
		}, "", "InvalidParameterException", "AuthParameters.USERNAME must be a string, not a number"},
		{"plain error", func() (any, error) { return nil, errors.New("boom") }, "", "Error", "boom"},
		{"panic", func() (any, error) { panic("kaput") }, "", "InternalErrorException", "cognito-wasm: internal error: kaput"},
		{"nil map panic", func() (any, error) {
			var m map[string]int
			m["x"] = 1
			return nil, nil
		}, "", "InternalErrorException", "cognito-wasm: internal error: assignment to entry in nil map"},
		{"JS exception passes through", func() (any, error) {
			js.Global().Get("JSON").Call("parse", "{not json")
			return nil, nil
		}, "", "SyntaxError", "JSON"},
		{"Go panic from syscall/js is contained", func() (any, error) {
			js.Global().Call("undefinedFunctionForTest")
			return nil, nil
		}, "", "InternalErrorException", "undefinedFunctionForTest is not a function"},
		{"unconvertible value panics and is contained", func() (any, error) { return struct{}{}, nil }, "", "InternalErrorException", "ValueOf: invalid value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Await(ctxT(t, 5*time.Second), Promise(tt.fn))
			if tt.wantName == "" {
				if err != nil {
					t.Fatalf("Promise(%s) rejected with %v; want %s", tt.name, err, tt.wantOK)
				}
				// Keys sorted: Go's map order (and so the object's) is random.
				sorted := jsEval(`return (v) => JSON.stringify(v, v && typeof v === "object" ? Object.keys(v).sort() : undefined)`)
				if got := sorted.Invoke(v).String(); got != tt.wantOK {
					t.Errorf("Promise(%s) = %s; want %s", tt.name, got, tt.wantOK)
				}
				return
			}
			var je *JSError
			if !errors.As(err, &je) || je.Name != tt.wantName || !strings.Contains(je.Message, tt.wantMsg) {
				t.Fatalf("Promise(%s) = %v; want a rejection %s: %s", tt.name, err, tt.wantName, tt.wantMsg)
			}
			if !je.Value.InstanceOf(js.Global().Get("Error")) {
				t.Errorf("Promise(%s) rejected with a non-Error %v", tt.name, je.Value)
			}
		})
	}
}

func TestCall(t *testing.T) {
	tests := []struct {
		name     string
		prepare  func() (func() (any, error), error)
		want     string
		wantName string
	}{
		{"ok", func() (func() (any, error), error) { return func() (any, error) { return "fine", nil }, nil }, "fine", ""},
		{"bad argument", func() (func() (any, error), error) {
			return nil, &signin.ParamError{Field: "config", Problem: "must be an object, not undefined"}
		}, "", "InvalidParameterException"},
		{"panic while reading", func() (func() (any, error), error) { panic("reading exploded") }, "", "InternalErrorException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Call(tt.prepare)
			if !p.InstanceOf(js.Global().Get("Promise")) {
				t.Fatalf("Call(%s) = %v; want a Promise", tt.name, p)
			}
			v, err := Await(ctxT(t, 5*time.Second), p)
			if tt.wantName == "" {
				if err != nil || v.String() != tt.want {
					t.Errorf("Call(%s) = %v, %v; want %q", tt.name, v, err, tt.want)
				}
				return
			}
			var je *JSError
			if !errors.As(err, &je) || je.Name != tt.wantName {
				t.Errorf("Call(%s) = %v; want a rejection named %s", tt.name, err, tt.wantName)
			}
		})
	}
}

// TestPromiseReturnsAtOnce proves the executor does not wait for the work.
func TestPromiseReturnsAtOnce(t *testing.T) {
	release := make(chan struct{})
	p := Promise(func() (any, error) {
		<-release
		return "done", nil
	})
	if p.Type() != js.TypeObject || !p.InstanceOf(js.Global().Get("Promise")) {
		t.Fatalf("Promise() = %v; want a Promise", p)
	}
	close(release)
	v, err := Await(ctxT(t, 5*time.Second), p)
	if err != nil || v.String() != "done" {
		t.Errorf("Await(Promise) = %v, %v; want done", v, err)
	}
}

func TestAwait(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		want     string
		wantName string
		wantMsg  string
	}{
		{"resolved", `return Promise.resolve("yes")`, "yes", "", ""},
		{"later", `return new Promise(r => setTimeout(() => r("late"), 20))`, "late", "", ""},
		{"not a promise", `return "plain"`, "plain", "", ""},
		{"rejected Error", `const e = new Error("nope"); e.name = "NotAuthorizedException"; return Promise.reject(e)`, "", "NotAuthorizedException", "nope"},
		{"rejected string", `return Promise.reject("just text")`, "", "", "just text"},
		{"rejected number", `return Promise.reject(42)`, "", "", "42"},
		{"rejected undefined", `return Promise.reject(undefined)`, "", "", "undefined"},
		{"rejected with throwing getters", `return Promise.reject({get name() { throw 1 }})`, "", "", "unreadable JavaScript exception"},
		{"then throws", `return {then() { throw new RangeError("bad thenable") }}`, "", "RangeError", "bad thenable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Await(ctxT(t, 5*time.Second), jsEval(tt.body))
			if tt.want != "" {
				if err != nil || v.String() != tt.want {
					t.Fatalf("Await(%s) = %v, %v; want %q", tt.name, v, err, tt.want)
				}
				return
			}
			var je *JSError
			if !errors.As(err, &je) || je.Name != tt.wantName || je.Message != tt.wantMsg {
				t.Fatalf("Await(%s) = %v, %v; want rejection %q %q", tt.name, v, err, tt.wantName, tt.wantMsg)
			}
		})
	}
	t.Run("context ends first", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := Await(ctx, jsEval(`return new Promise(() => {})`))
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
			t.Errorf("Await(never) = %v after %v; want DeadlineExceeded promptly", err, time.Since(start))
		}
	})
	t.Run("many awaits", func(t *testing.T) {
		for i := 0; i < 2000; i++ {
			if _, err := Await(ctxT(t, 5*time.Second), jsEval(`return Promise.resolve(1)`)); err != nil {
				t.Fatalf("Await #%d = %v", i, err)
			}
		}
	})
}

func TestStringMap(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    map[string]string
		wantErr string
	}{
		{"undefined", `return undefined`, nil, ""},
		{"null", `return null`, nil, ""},
		{"empty", `return {}`, map[string]string{}, ""},
		{"strings", `return {USERNAME: "zoë", PASSWORD: "p✓"}`, map[string]string{"USERNAME": "zoë", "PASSWORD": "p✓"}, ""},
		{"number value", `return {USERNAME: 1}`, nil, "AuthParameters.USERNAME must be a string, not a number"},
		{"null value", `return {USERNAME: null}`, nil, "AuthParameters.USERNAME must be a string, not null"},
		{"object value", `return {USERNAME: {}}`, nil, "AuthParameters.USERNAME must be a string, not an object"},
		{"array", `return ["a"]`, nil, "AuthParameters must be an object, not an array"},
		{"string", `return "USERNAME"`, nil, "AuthParameters must be an object, not a string"},
		{"number", `return 7`, nil, "AuthParameters must be an object, not a number"},
		{"boolean", `return true`, nil, "AuthParameters must be an object, not a boolean"},
		{"function", `return function() {}`, nil, "AuthParameters must be an object, not a function"},
		{"symbol", `return Symbol("s")`, nil, "AuthParameters must be an object, not a symbol"},
		{"bigint", `return 10n`, nil, "AuthParameters must be an object, not a bigint"},
		{"bigint value", `return {USERNAME: 10n}`, nil, "AuthParameters.USERNAME must be a string, not a bigint"},
		{"many entries are the engine's to judge", `return Object.fromEntries(Array.from({length: 100}, (_, i) => ["k" + i, "v"]))`, nil, ""},
		{"runaway entries", `return Object.fromEntries(Array.from({length: 5000}, (_, i) => ["k" + i, "v"]))`, nil, "AuthParameters has 5000 entries, more than 4096"},
		{"huge value", `return {a: "x".repeat(50000000)}`, nil, "AuthParameters.a is longer than 1048576 characters"},
		{"lone high surrogate", `return {a: "pass\ud800word"}`, nil, "AuthParameters.a holds a lone UTF-16 surrogate, which cannot be carried faithfully"},
		{"lone low surrogate", `return {a: "\udc00"}`, nil, "AuthParameters.a holds a lone UTF-16 surrogate, which cannot be carried faithfully"},
		{"lone surrogate in a key", `return {["\ud800"]: "x"}`, nil, "AuthParameters key holds a lone UTF-16 surrogate, which cannot be carried faithfully"},
		{"surrogate pair is fine", `return {a: "\ud83d\ude00"}`, map[string]string{"a": "😀"}, ""},
		{"revoked proxy", `const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy`, nil, "AuthParameters must be an object, not an unreadable value (a revoked Proxy?)"},
		{"revoked proxy value", `const r = Proxy.revocable({}, {}); r.revoke(); return {a: r.proxy}`, nil, "AuthParameters.a must be a string, not an unreadable value (a revoked Proxy?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := StringMap(jsEval(tt.body), "AuthParameters")
			if tt.wantErr != "" {
				var ae *signin.ParamError
				if !errors.As(err, &ae) || ae.ErrorMessage() != tt.wantErr || ae.ErrorCode() != "InvalidParameterException" {
					t.Fatalf("StringMap(%s) = %v, %v; want error %q", tt.body, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("StringMap(%s) = %v", tt.body, err)
			}
			if tt.want == nil && got != nil && len(got) == 100 {
				return // the engine, not the bridge, bounds the entries
			}
			if (got == nil) != (tt.want == nil) || len(got) != len(tt.want) {
				t.Fatalf("StringMap(%s) = %#v; want %#v", tt.body, got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("StringMap(%s)[%q] = %q; want %q", tt.body, k, got[k], v)
				}
			}
		})
	}
}

func TestStringMapThrowingGetterIsAnError(t *testing.T) {
	v := jsEval(`return {get USERNAME() { throw new Error("getter exploded") }}`)
	_, err := StringMap(v, "AuthParameters")
	var ae *signin.ParamError
	if !errors.As(err, &ae) || ae.Field != "AuthParameters.USERNAME" || !strings.Contains(ae.Problem, "getter exploded") {
		t.Errorf("StringMap(throwing getter) = %v; want a ParamError on AuthParameters.USERNAME quoting the throw", err)
	}
	p := jsEval(`return new Proxy({}, {ownKeys() { throw new Error("proxy exploded") }})`)
	_, err = StringMap(p, "ClientMetadata")
	if !errors.As(err, &ae) || ae.Field != "ClientMetadata" || !strings.Contains(ae.Problem, "proxy exploded") {
		t.Errorf("StringMap(throwing proxy) = %v; want a ParamError on ClientMetadata", err)
	}
}

func TestFromStringMap(t *testing.T) {
	v := FromStringMap(map[string]string{"a": "1", "é": "✓"})
	if got := js.Global().Get("JSON").Call("stringify", v).String(); got != `{"a":"1","é":"✓"}` && got != `{"é":"✓","a":"1"}` {
		t.Errorf("FromStringMap = %s", got)
	}
	if got := js.Global().Get("JSON").Call("stringify", FromStringMap(nil)).String(); got != `{}` {
		t.Errorf("FromStringMap(nil) = %s; want {}", got)
	}
}

// testServer starts a Node http server inside this process through the
// require() that wasm_exec_node.js exposes.
func testServer(t *testing.T) string {
	t.Helper()
	if js.Global().Get("require").Type() != js.TypeFunction {
		t.Fatal("global require is missing: run these tests with $(go env GOROOT)/lib/wasm/go_js_wasm_exec under Node")
	}
	p := jsEval(`
		const http = require("http");
		return new Promise((resolve, reject) => {
			const srv = http.createServer((req, res) => {
				const chunks = [];
				req.on("data", c => chunks.push(c));
				req.on("end", () => {
					const body = Buffer.concat(chunks);
					const u = new URL(req.url, "http://x");
					const n = Number(u.searchParams.get("n") || "0");
					switch (u.pathname) {
					case "/echo":
						res.statusCode = 201;
						res.setHeader("Content-Type", "application/json");
						res.setHeader("X-Reply", "yes");
						res.end(JSON.stringify({method: req.method, headers: req.headers, body: body.toString("base64")}));
						return;
					case "/sized":
						res.end(Buffer.alloc(n, 120));
						return;
					case "/chunked":
						for (let i = 0; i < n; i++) res.write(Buffer.alloc(1000, 121));
						res.end();
						return;
					case "/delay":
						setTimeout(() => res.end("on time"), n);
						return;
					case "/slow":
						const timer = setTimeout(() => res.end("late"), 10000);
						res.on("close", () => clearTimeout(timer));
						return;
					case "/cognito-error":
						res.statusCode = 400;
						res.setHeader("Content-Type", "application/x-amz-json-1.1");
						res.end(JSON.stringify({__type: "NotAuthorizedException", message: "Incorrect username or password."}));
						return;
					}
					res.statusCode = 404;
					res.end();
				});
			});
			srv.on("error", reject);
			srv.listen(0, "127.0.0.1", () => {
				globalThis.__jsbridgeTestServer = srv;
				resolve("http://127.0.0.1:" + srv.address().port);
			});
		});`)
	v, err := Await(ctxT(t, 10*time.Second), p)
	if err != nil {
		t.Fatalf("starting the test server: %v", err)
	}
	t.Cleanup(func() {
		jsEval(`const s = globalThis.__jsbridgeTestServer; s.closeAllConnections(); s.close();`)
	})
	return v.String()
}

func TestFetchTransport(t *testing.T) {
	base := testServer(t)
	client := &http.Client{Transport: &FetchTransport{MaxRequestBytes: 4096, MaxResponseBytes: 10000}}

	t.Run("echo", func(t *testing.T) {
		body := make([]byte, 256)
		for i := range body {
			body[i] = byte(i)
		}
		req, _ := http.NewRequestWithContext(ctxT(t, 10*time.Second), "POST", base+"/echo", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")
		req.Header.Set("Cookie", "session=should-not-be-sent")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("POST /echo = %v", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 201 || resp.Header.Get("X-Reply") != "yes" || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("POST /echo = %d %v; want 201 with X-Reply and Content-Type", resp.StatusCode, resp.Header)
		}
		raw, _ := io.ReadAll(resp.Body)
		echo := js.Global().Get("JSON").Call("parse", string(raw))
		if m := echo.Get("method").String(); m != "POST" {
			t.Errorf("server saw method %q; want POST", m)
		}
		h := echo.Get("headers")
		if got := h.Get("x-amz-target").String(); got != "AWSCognitoIdentityProviderService.InitiateAuth" {
			t.Errorf("server saw X-Amz-Target %q", got)
		}
		if !h.Get("cookie").IsUndefined() {
			t.Errorf("server saw a Cookie header %v; want none", h.Get("cookie"))
		}
		want := js.Global().Get("Buffer").Call("from", js.Global().Get("Uint8Array").New(js.Global().Get("Array").Call("from", js.Global().Get("Array").New(256).Call("keys")))).Call("toString", "base64").String()
		if got := echo.Get("body").String(); got != want {
			t.Errorf("server saw body %s; want all 256 byte values %s", got, want)
		}
	})

	t.Run("error status is a response", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(ctxT(t, 10*time.Second), "POST", base+"/cognito-error", strings.NewReader("{}"))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("POST /cognito-error = %v", err)
		}
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 400 || !strings.Contains(string(raw), "NotAuthorizedException") {
			t.Errorf("POST /cognito-error = %d %s; want 400 with __type", resp.StatusCode, raw)
		}
	})

	sizes := []struct {
		name    string
		path    string
		wantErr bool
	}{
		{"at the limit", "/sized?n=10000", false},
		{"over the limit with Content-Length", "/sized?n=10001", true},
		{"over the limit chunked", "/chunked?n=11", true},
		{"under the limit chunked", "/chunked?n=9", false},
	}
	for _, tt := range sizes {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(ctxT(t, 10*time.Second), "GET", base+tt.path, nil)
			resp, err := client.Do(req)
			if tt.wantErr {
				if !errors.Is(err, ErrResponseTooLarge) {
					t.Errorf("GET %s = %v; want ErrResponseTooLarge", tt.path, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("GET %s = %v", tt.path, err)
			}
			raw, _ := io.ReadAll(resp.Body)
			if int64(len(raw)) != resp.ContentLength || len(raw) == 0 {
				t.Errorf("GET %s read %d bytes, ContentLength %d", tt.path, len(raw), resp.ContentLength)
			}
			// Every chunk lands whole and in place ('x' sized, 'y' chunked).
			fill := "x"
			if strings.HasPrefix(tt.path, "/chunked") {
				fill = "y"
			}
			if strings.Trim(string(raw), fill) != "" {
				t.Errorf("GET %s read bytes other than %q", tt.path, fill)
			}
		})
	}

	t.Run("request too large", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(ctxT(t, 10*time.Second), "POST", base+"/echo", strings.NewReader(strings.Repeat("x", 4097)))
		if _, err := client.Do(req); err == nil || !strings.Contains(err.Error(), "request body is larger than 4096 bytes") {
			t.Errorf("POST 4097 bytes = %v; want a size error", err)
		}
	})

	t.Run("context cancel aborts", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"/slow", nil)
		start := time.Now()
		_, err := client.Do(req)
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 3*time.Second {
			t.Errorf("GET /slow = %v after %v; want DeadlineExceeded promptly", err, time.Since(start))
		}
	})

	t.Run("timeout aborts", func(t *testing.T) {
		quick := &http.Client{Transport: &FetchTransport{Timeout: 150 * time.Millisecond}}
		req, _ := http.NewRequestWithContext(ctxT(t, 10*time.Second), "GET", base+"/slow", nil)
		start := time.Now()
		_, err := quick.Do(req)
		var fe *FetchError
		if !errors.As(err, &fe) || !strings.Contains(fe.ErrorMessage(), "no answer within 150ms") || time.Since(start) > 3*time.Second {
			t.Errorf("GET /slow with a 150ms timeout = %v after %v; want a FetchError saying no answer within 150ms", err, time.Since(start))
		}
		if fe != nil && fe.RequestNotSent() {
			t.Errorf("a request that timed out after being sent says RequestNotSent; want false (the server may have acted)")
		}
	})

	// A fetch that ignores its abort signal and never settles (a broken or
	// hostile polyfill), or whose body never ends, still ends at the deadline.
	t.Run("never-settling fetch ends at the deadline", func(t *testing.T) {
		fakes := map[string]string{
			"fetch": `return () => new Promise(() => {});`,
			"body read": `return () => Promise.resolve({status: 200, statusText: "OK", headers: new Headers(),
				body: {getReader() { return {read: () => new Promise(() => {}), cancel: () => Promise.resolve()}; }}});`,
		}
		for name, fake := range fakes {
			t.Run(name, func(t *testing.T) {
				real := js.Global().Get("fetch")
				js.Global().Set("fetch", jsEval(fake))
				defer js.Global().Set("fetch", real)
				quick := &http.Client{Transport: &FetchTransport{Timeout: 200 * time.Millisecond}}
				req, _ := http.NewRequestWithContext(ctxT(t, 10*time.Second), "POST", base+"/", strings.NewReader("{}"))
				start := time.Now()
				_, err := quick.Do(req)
				var fe *FetchError
				if !errors.As(err, &fe) || !strings.Contains(fe.ErrorMessage(), "no answer within 200ms") || time.Since(start) > 5*time.Second {
					t.Errorf("POST through a fetch whose %s never settles = %v after %v; want a FetchError saying no answer within 200ms", name, err, time.Since(start))
				}
				if fe != nil && fe.RequestNotSent() {
					t.Errorf("a fetch that never settled says RequestNotSent; want false (it may have reached the server)")
				}
			})
		}
	})

	// The deadline counts only time the event loop ran: a wasm thread busy
	// for longer than the timeout (1000 sign-ins' SRP math in one page)
	// must not abort a request whose answer came in time.
	t.Run("busy wasm thread does not spend the deadline", func(t *testing.T) {
		quick := &http.Client{Transport: &FetchTransport{Timeout: 400 * time.Millisecond}}
		req, _ := http.NewRequestWithContext(ctxT(t, 10*time.Second), "GET", base+"/delay?n=50", nil)
		type result struct {
			body string
			err  error
		}
		done := make(chan result, 1)
		go func() {
			resp, err := quick.Do(req)
			if err != nil {
				done <- result{err: err}
				return
			}
			b, err := io.ReadAll(resp.Body)
			done <- result{string(b), err}
		}()
		// Let the fetch start, then hold the only thread for 3x the timeout
		// without yielding to JavaScript.
		time.Sleep(5 * time.Millisecond)
		for start := time.Now(); time.Since(start) < 1200*time.Millisecond; {
		}
		r := <-done
		if r.err != nil || r.body != "on time" {
			t.Errorf("GET /delay after the thread was busy = %q, %v; want the answer", r.body, r.err)
		}
	})

	t.Run("unreachable", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(ctxT(t, 10*time.Second), "GET", "http://127.0.0.1:1/", nil)
		_, err := client.Do(req)
		var je *JSError
		var fe *FetchError
		if !errors.As(err, &fe) || !errors.As(err, &je) || fe.ErrorCode() != "NetworkError" || !strings.Contains(err.Error(), "jsbridge: fetch GET http://127.0.0.1:1/") {
			t.Fatalf("GET unreachable = %v; want a FetchError wrapping the JS error", err)
		}
		if !fe.RequestNotSent() {
			t.Errorf("blocked port: RequestNotSent = false; want true (nothing can have reached a server)")
		}
	})

	t.Run("connection refused was not sent", func(t *testing.T) {
		p := jsEval(`return new Promise(resolve => {
			const s = require("net").createServer().listen(0, "127.0.0.1", () => {
				const port = s.address().port;
				s.close(() => resolve(port));
			});
		});`)
		port, err := Await(ctxT(t, 10*time.Second), p)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequestWithContext(ctxT(t, 10*time.Second), "POST", fmt.Sprintf("http://127.0.0.1:%d/", port.Int()), strings.NewReader("{}"))
		_, err = client.Do(req)
		var fe *FetchError
		if !errors.As(err, &fe) || !fe.RequestNotSent() {
			t.Errorf("POST to a closed port = %v; want a FetchError with RequestNotSent true", err)
		}
	})
}

// TestComputeLetsTheEventLoopTurn: computations started together do not run
// back to back; JavaScript gets the thread between them (a timer armed
// before they start has fired by the time the last one runs).
func TestComputeLetsTheEventLoopTurn(t *testing.T) {
	flag := jsEval(`const f = {fired: false}; setTimeout(() => { f.fired = true; }, 0); return f;`)
	const n = 4
	type outcome struct {
		fired bool
		err   error
	}
	seen := make(chan outcome, n)
	ctx := ctxT(t, 10*time.Second)
	for i := 0; i < n; i++ {
		go func() {
			var fired bool
			err := Compute(ctx, func() {
				// Hold the thread a while, as SRP's math does.
				for start := time.Now(); time.Since(start) < 20*time.Millisecond; {
				}
				fired = flag.Get("fired").Bool()
			})
			seen <- outcome{fired, err}
		}()
	}
	fired := 0
	for i := 0; i < n; i++ {
		o := <-seen
		if o.err != nil {
			t.Errorf("Compute = %v", o.err)
		}
		if o.fired {
			fired++
		}
	}
	if fired == 0 {
		t.Errorf("a timer armed before %d computations never ran between them; want the event loop to turn", n)
	}
}

// TestLiveFuncs: an Await holds two counted js.Funcs until its Promise
// settles, whichever way, and a Promise's executor none once made.
func TestLiveFuncs(t *testing.T) {
	// Earlier tests' abandoned awaits release their callbacks when their
	// Promises settle: wait until the count holds still for 200ms.
	for i, last, since := 0, LiveFuncs(), time.Now(); time.Since(since) < 200*time.Millisecond; i++ {
		if i > 2000 {
			t.Fatalf("LiveFuncs() never held still (now %d)", LiveFuncs())
		}
		time.Sleep(5 * time.Millisecond)
		if n := LiveFuncs(); n != last {
			last, since = n, time.Now()
		}
	}
	before := LiveFuncs()
	held := jsEval(`let resolve; const p = new Promise((r) => { resolve = r; }); return {p, resolve};`)
	done := make(chan error, 1)
	go func() {
		_, err := Await(ctxT(t, 5*time.Second), held.Get("p"))
		done <- err
	}()
	for i := 0; LiveFuncs() != before+2; i++ {
		if i > 500 {
			t.Fatalf("LiveFuncs() = %d while one Await waits; want %d", LiveFuncs(), before+2)
		}
		time.Sleep(time.Millisecond)
	}
	held.Get("resolve").Invoke("ok")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{`return Promise.resolve(1)`, `return Promise.reject(new Error("x"))`, `return {then() { throw new Error("t") }}`} {
		_, _ = Await(ctxT(t, 5*time.Second), jsEval(body))
	}
	_, _ = Await(ctxT(t, 5*time.Second), Promise(func() (any, error) { return 1, nil }))
	if got := LiveFuncs(); got != before {
		t.Errorf("LiveFuncs() = %d after every Await settled; want %d", got, before)
	}
}

// TestComputeYieldsOnlyAfterASlice: work that ends within the slice since
// JavaScript last called into Go costs no extra event-loop turn; work that
// holds the thread past it hands the thread back before Compute returns.
// The slice is set per case, so a loaded machine pausing the process
// cannot flip the outcome.
func TestComputeYieldsOnlyAfterASlice(t *testing.T) {
	ctx := ctxT(t, 5*time.Second)
	defer func(s time.Duration) { computeSlice = s }(computeSlice)
	busy := func(d time.Duration) {
		for start := time.Now(); time.Since(start) < d; {
		}
	}
	computeSlice = time.Hour
	before := computeYields.Load()
	if err := Compute(ctx, func() { busy(30 * time.Millisecond) }); err != nil {
		t.Fatal(err)
	}
	if got := computeYields.Load() - before; got != 0 {
		t.Errorf("a computation within the slice yielded %d times; want none", got)
	}
	computeSlice = 50 * time.Millisecond
	if err := Compute(ctx, func() { busy(60 * time.Millisecond) }); err != nil {
		t.Fatal(err)
	}
	if got := computeYields.Load() - before; got != 1 {
		t.Errorf("a computation holding the thread past the slice yielded %d times; want 1", got)
	}
	// The clock restarts when JavaScript calls in: after a long hold, an
	// awaited Promise's callback brings heldFor back under the hold.
	busy(300 * time.Millisecond)
	if h := heldFor(); h < 300*time.Millisecond {
		t.Fatalf("heldFor() = %v after holding the thread 300ms; want at least that", h)
	}
	if _, err := Await(ctx, jsEval(`return Promise.resolve()`)); err != nil {
		t.Fatal(err)
	}
	if h := heldFor(); h >= 300*time.Millisecond {
		t.Errorf("heldFor() = %v right after JavaScript called in; want the clock restarted", h)
	}
}
