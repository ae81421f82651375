//go:build js && wasm

package jsbridge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall/js"
	"time"
)

// Default bounds on bodies (Cognito's requests and answers are a few KiB)
// and on the time one fetch may take.
const (
	DefaultMaxRequestBytes  = 1 << 20
	DefaultMaxResponseBytes = 1 << 20
	DefaultTimeout          = 30 * time.Second
)

// FetchTransport is an http.RoundTripper over the JS global fetch, for
// browsers and Node alike. Go's own js/wasm transport is bypassed when a
// DialContext is set (the AWS SDK sets one) and is off under Node; this one
// is not. It never sends cookies or other credentials (credentials: "omit"),
// aborts the fetch when the request's context ends, and refuses bodies
// larger than the limits.
//
// The time limit is a JS timer cleared when the fetch ends, not a Go timer:
// under Node a pending Go timer keeps the process alive until it fires, so a
// script that has finished would hang on until a long deadline passed.
type FetchTransport struct {
	MaxRequestBytes  int64         // 0 means DefaultMaxRequestBytes
	MaxResponseBytes int64         // 0 means DefaultMaxResponseBytes
	Timeout          time.Duration // per request, body included; 0 means DefaultTimeout
}

// skipHeaders are set by fetch itself (or forbidden to scripts) and would
// be dropped or refused if passed.
var skipHeaders = map[string]bool{
	"Host": true, "Content-Length": true, "Connection": true, "Keep-Alive": true,
	"Transfer-Encoding": true, "Upgrade": true, "Te": true, "Trailer": true,
	"Expect": true, "Accept-Encoding": true, "User-Agent": true, "Cookie": true,
}

// deadline aborts ac once the fetch has had its time of a running event
// loop, and records that it did. Time the loop was blocked (the wasm thread
// busy with other sign-ins) does not count: the request could not be sent
// nor its answer read then, and a plain setTimeout would fire first when the
// loop resumes (Node runs timers before I/O), aborting a request whose
// answer had already arrived, or that had not yet left. The deadline
// advances in ticks of JavaScript's setTimeout (not a Go timer: under Node a
// pending Go timer keeps the process alive until it fires), each counting at
// most one tick however late it fires.
//
// race(p) settles with p, or rejects once the deadline passes: a fetch (or
// a polyfill of it) that ignores the abort signal and never settles still
// ends the call.
type deadline struct {
	id      int
	ac      js.Value
	tick    time.Duration
	left    time.Duration
	last    time.Time
	timer   js.Value // the pending setTimeout's id
	fired   bool
	stopped bool
	expired js.Value // a Promise rejected when the deadline passes
	expire  js.Value // its reject function
}

// deadlines are the running ones by id, for deadlineStep.
var deadlines = struct {
	sync.Mutex
	m    map[int]*deadline
	next int
}{m: map[int]*deadline{}}

var (
	setTimeout   = js.Global().Get("setTimeout")
	clearTimeout = js.Global().Get("clearTimeout")
	jsPromise    = js.Global().Get("Promise")
	// deadlineStep(id) is every deadline's setTimeout callback (made in
	// init: it refers to itself through stepDeadline).
	deadlineStep js.Func
)

func init() {
	deadlineStep = FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) > 0 && args[0].Type() == js.TypeNumber {
			stepDeadline(args[0].Int())
		}
		return nil
	})
}

func startDeadline(ac js.Value, d time.Duration) *deadline {
	t := &deadline{ac: ac, left: d, last: time.Now(), tick: min(max(d/10, 10*time.Millisecond), time.Second)}
	var executor js.Func
	executor = FuncOf(func(_ js.Value, args []js.Value) any {
		t.expire = args[1]
		return nil
	})
	t.expired = jsPromise.New(executor) // calls executor at once
	Release(executor)
	t.expired.Call("catch", noop)
	deadlines.Lock()
	deadlines.next++
	t.id = deadlines.next
	deadlines.m[t.id] = t
	deadlines.Unlock()
	t.timer = setTimeout.Invoke(deadlineStep, min(d, t.tick).Milliseconds(), t.id)
	return t
}

// stepDeadline counts the time since the last tick (at most one tick) and
// fires or schedules the next tick.
func stepDeadline(id int) {
	deadlines.Lock()
	t := deadlines.m[id]
	if t == nil || t.stopped {
		deadlines.Unlock()
		return
	}
	now := time.Now()
	t.left -= min(now.Sub(t.last), t.tick)
	t.last = now
	if t.left > 0 {
		t.timer = setTimeout.Invoke(deadlineStep, max(min(t.left, t.tick).Milliseconds(), 1), id)
		deadlines.Unlock()
		return
	}
	t.fired = true
	delete(deadlines.m, id)
	deadlines.Unlock()
	t.ac.Call("abort")
	t.expire.Invoke(NewError("Error", "deadline passed"))
}

// race returns Promise.race([p, the deadline]).
func (t *deadline) race(p js.Value) js.Value {
	return jsPromise.Call("race", []any{p, t.expired})
}

// hasFired reports whether the deadline passed.
func (t *deadline) hasFired() bool {
	deadlines.Lock()
	defer deadlines.Unlock()
	return t.fired
}

// stop ends the deadline unless it has fired.
func (t *deadline) stop() {
	deadlines.Lock()
	t.stopped = true
	delete(deadlines.m, t.id)
	timer := t.timer
	deadlines.Unlock()
	clearTimeout.Invoke(timer)
}

// dialCodes are Node's causes of a connection that was never made.
var dialCodes = map[string]bool{
	"ECONNREFUSED": true, "ENOTFOUND": true, "EAI_AGAIN": true, "EAI_NONAME": true, "EHOSTUNREACH": true,
	"ENETUNREACH": true, "EADDRNOTAVAIL": true, "UND_ERR_CONNECT_TIMEOUT": true,
}

// dialFailed reports whether a fetch rejection says the connection was never
// made (Node's fetch names the cause; browsers never do), so the request
// cannot have reached the server. Every read is guarded: a hostile value
// makes it false.
func dialFailed(e js.Value) bool {
	prop := func(v js.Value, k any) js.Value {
		switch jsType(v) {
		case "object", "function", "array":
		default:
			return js.Undefined()
		}
		var out js.Value
		if threw(func() { out = reflectGet.Invoke(v, k) }) {
			return js.Undefined()
		}
		return out
	}
	str := func(v js.Value) string {
		if jsType(v) == "string" {
			return v.String()
		}
		return ""
	}
	c := prop(e, "cause")
	if jsType(c) != "object" && jsType(c) != "function" && jsType(c) != "array" {
		return false
	}
	// The fetch standard's blocked ports are refused before any connection.
	if str(prop(c, "message")) == "bad port" {
		return true
	}
	if errs := prop(c, "errors"); jsType(errs) == "array" {
		n := prop(errs, "length")
		if jsType(n) == "number" && n.Int() > 0 {
			for i := 0; i < n.Int() && i < 64; i++ {
				if !dialCodes[str(prop(prop(errs, i), "code"))] {
					return false
				}
			}
			return true
		}
	}
	return dialCodes[str(prop(c, "code"))]
}

// noop swallows the outcome of promises nobody waits for.
var noop = FuncOf(func(js.Value, []js.Value) any { return nil })

// ErrResponseTooLarge is returned (wrapped) when a response body exceeds the bound.
var ErrResponseTooLarge = errors.New("jsbridge: response body too large")

// RoundTrip implements http.RoundTripper. Call it from a goroutine, never
// from inside a js.FuncOf callback: it waits on JS Promises.
func (t *FetchTransport) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	maxReq, maxResp := t.MaxRequestBytes, t.MaxResponseBytes
	if maxReq <= 0 {
		maxReq = DefaultMaxRequestBytes
	}
	if maxResp <= 0 {
		maxResp = DefaultMaxResponseBytes
	}
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var body []byte
	if req.Body != nil {
		body, err = io.ReadAll(io.LimitReader(req.Body, maxReq+1))
		if err != nil {
			return nil, fmt.Errorf("jsbridge: reading request body: %w", err)
		}
		if int64(len(body)) > maxReq {
			return nil, fmt.Errorf("jsbridge: request body is larger than %d bytes", maxReq)
		}
	}
	defer func() {
		if r := recover(); r != nil {
			je, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			resp, err = nil, &FetchError{Method: req.Method, URL: req.URL.Redacted(), Err: newJSError(je.Value)}
		}
	}()

	headers := js.Global().Get("Headers").New()
	for k, vs := range req.Header {
		if skipHeaders[http.CanonicalHeaderKey(k)] {
			continue
		}
		for _, v := range vs {
			headers.Call("append", k, v)
		}
	}
	ac := js.Global().Get("AbortController").New()
	opts := js.Global().Get("Object").New()
	opts.Set("method", req.Method)
	opts.Set("headers", headers)
	opts.Set("credentials", "omit")
	// The cache mode is left at its default. "no-store" made Chromium skip
	// its CORS preflight cache too, so every cross-origin POST cost an extra
	// OPTIONS round trip; Cognito's answers are POST responses, which
	// browsers never cache, so the default mode stores nothing either.
	opts.Set("signal", ac.Get("signal"))
	if len(body) > 0 {
		arr := js.Global().Get("Uint8Array").New(len(body))
		js.CopyBytesToJS(arr, body)
		opts.Set("body", arr)
	}

	timer := startDeadline(ac, timeout)
	defer timer.stop()
	timedOut := timer.hasFired

	// Abort the fetch (and the body read) if ctx ends first.
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			ac.Call("abort")
		case <-done:
		}
	}()

	jsResp, err := Await(ctx, timer.race(js.Global().Call("fetch", req.URL.String(), opts)))
	if err != nil {
		var je *JSError
		notSent := errors.As(err, &je) && !timedOut() && dialFailed(je.Value)
		return nil, t.wrap(ctx, req, err, timedOut(), timeout, notSent)
	}
	header := http.Header{}
	it := jsResp.Get("headers").Call("entries")
	for {
		n := it.Call("next")
		if n.Get("done").Bool() {
			break
		}
		kv := n.Get("value")
		header.Add(kv.Index(0).String(), kv.Index(1).String())
	}
	if cl := header.Get("Content-Length"); cl != "" {
		if n, perr := strconv.ParseInt(cl, 10, 64); perr == nil && n > maxResp {
			ac.Call("abort")
			return nil, fmt.Errorf("%w: Content-Length %d is over the %d-byte limit", ErrResponseTooLarge, n, maxResp)
		}
	}
	data, err := readBody(ctx, jsResp.Get("body"), maxResp, timer)
	if err != nil {
		ac.Call("abort")
		return nil, t.wrap(ctx, req, err, timedOut(), timeout, false)
	}
	status := jsResp.Get("status").Int()
	return &http.Response{
		Status:        strconv.Itoa(status) + " " + strings.TrimSpace(jsResp.Get("statusText").String()),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        header,
		Body:          io.NopCloser(bytes.NewReader(data)),
		ContentLength: int64(len(data)),
		Request:       req,
	}, nil
}

func (t *FetchTransport) wrap(ctx context.Context, req *http.Request, err error, timedOut bool, timeout time.Duration, notSent bool) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if timedOut {
		err = fmt.Errorf("no answer within %v", timeout)
	}
	if errors.Is(err, ErrResponseTooLarge) {
		return err
	}
	return &FetchError{Method: req.Method, URL: req.URL.Redacted(), Err: err, NotSent: notSent}
}

// FetchError is a fetch that failed without an HTTP answer: the network, DNS,
// TLS, or in browsers a CORS refusal (which scripts cannot tell apart). Its
// code NetworkError becomes the JS Error's name.
type FetchError struct {
	Method, URL string
	Err         error
	// NotSent is true only when the connection provably was never made
	// (Node names the cause); a browser's opaque "Failed to fetch" or a
	// deadline may have come after the server acted.
	NotSent bool
}

// RequestNotSent tells the sign-in engine whether a retry is safe: a
// challenge answer spends its session, so it is resent only when this is true.
func (e *FetchError) RequestNotSent() bool { return e.NotSent }

func (e *FetchError) Error() string {
	return fmt.Sprintf("jsbridge: fetch %s %s: %v", e.Method, e.URL, e.Err)
}
func (e *FetchError) ErrorCode() string { return "NetworkError" }
func (e *FetchError) ErrorMessage() string {
	return fmt.Sprintf("could not reach %s (%v); check the endpoint, the network and, in a browser, CORS", e.URL, e.Err)
}
func (e *FetchError) Unwrap() error { return e.Err }

// readBody drains a ReadableStream (or null) into memory, up to max bytes.
// Each read is raced against the fetch's deadline.
func readBody(ctx context.Context, stream js.Value, max int64, timer *deadline) ([]byte, error) {
	if IsNullish(stream) {
		return nil, nil
	}
	reader := stream.Call("getReader")
	var buf bytes.Buffer
	for {
		r, err := Await(ctx, timer.race(reader.Call("read")))
		if err != nil {
			return nil, err
		}
		if r.Get("done").Bool() {
			return buf.Bytes(), nil
		}
		chunk := r.Get("value")
		n := chunk.Get("byteLength").Int()
		if int64(buf.Len()+n) > max {
			reader.Call("cancel").Call("catch", noop)
			return nil, fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, max)
		}
		b := make([]byte, n)
		js.CopyBytesToGo(b, chunk)
		buf.Write(b)
	}
}
