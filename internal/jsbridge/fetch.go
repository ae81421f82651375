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

// armTimer aborts ac once the fetch has had ms milliseconds of a running
// event loop, and records that it did. Time the loop was blocked (the wasm
// thread busy with other sign-ins) does not count: the request could not be
// sent nor its answer read then, and a plain setTimeout would fire first
// when the loop resumes (Node runs timers before I/O), aborting a request
// whose answer had already arrived, or that had not yet left. The deadline
// advances in ticks, each counting at most one tick however late it fires.
//
// t.race(p) settles with p, or rejects once the deadline passes: a fetch
// (or a polyfill of it) that ignores the abort signal and never settles
// still ends the call.
var armTimer = js.Global().Get("Function").New("ac", "ms", `
	const tick = Math.max(10, Math.min(1000, Math.floor(ms / 10)));
	const t = {fired: false, left: ms, last: Date.now(), stopped: false};
	let expire;
	const expired = new Promise((_, reject) => { expire = reject; });
	expired.catch(() => {});
	t.race = (p) => Promise.race([p, expired]);
	const step = () => {
		if (t.stopped) return;
		const now = Date.now();
		t.left -= Math.min(now - t.last, tick);
		t.last = now;
		if (t.left <= 0) {
			t.fired = true;
			ac.abort();
			expire(new Error("deadline passed"));
			return;
		}
		t.id = setTimeout(step, Math.min(t.left, tick));
	};
	t.id = setTimeout(step, Math.min(ms, tick));
	t.stop = () => { t.stopped = true; clearTimeout(t.id); };
	return t;`)

// dialFailed reports whether a fetch rejection says the connection was never
// made (Node's fetch names the cause; browsers never do), so the request
// cannot have reached the server.
var dialFailed = js.Global().Get("Function").New("e", `
	const codes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EHOSTUNREACH",
		"ENETUNREACH", "EADDRNOTAVAIL", "UND_ERR_CONNECT_TIMEOUT"]);
	try {
		const c = e && e.cause;
		if (!c) return false;
		// The fetch standard's blocked ports are refused before any connection.
		if (c.message === "bad port") return true;
		if (Array.isArray(c.errors) && c.errors.length > 0) return c.errors.every(x => x && codes.has(x.code));
		return codes.has(c.code);
	} catch (_) {
		return false;
	}`)

// noop swallows the outcome of promises nobody waits for.
var noop = js.Global().Get("Function").New()

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

	timer := armTimer.Invoke(ac, timeout.Milliseconds())
	defer timer.Call("stop")
	timedOut := func() bool { return timer.Get("fired").Bool() }

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

	jsResp, err := Await(ctx, timer.Call("race", js.Global().Call("fetch", req.URL.String(), opts)))
	if err != nil {
		var je *JSError
		notSent := errors.As(err, &je) && !timedOut() && dialFailed.Invoke(je.Value).Truthy()
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
// The reading loop runs in JavaScript (readAll), so Go waits on one Promise
// per body rather than one per chunk; each read is still raced against the
// fetch's deadline timer.
func readBody(ctx context.Context, stream js.Value, max int64, timer js.Value) ([]byte, error) {
	if IsNullish(stream) {
		return nil, nil
	}
	all, err := Await(ctx, readAll.Invoke(stream, max, timer))
	if err != nil {
		return nil, err
	}
	if all.IsNull() {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, max)
	}
	b := make([]byte, all.Get("byteLength").Int())
	js.CopyBytesToGo(b, all)
	return b, nil
}

// readAll(stream, max, timer) reads stream to its end into one Uint8Array,
// or null once it passes max bytes (then the rest is cancelled unread).
var readAll = js.Global().Get("Function").New("stream", "max", "timer", `
	const reader = stream.getReader();
	return (async () => {
		const chunks = [];
		let n = 0;
		for (;;) {
			const r = await timer.race(reader.read());
			if (r.done) break;
			n += r.value.byteLength;
			if (n > max) {
				reader.cancel().catch(() => {});
				return null;
			}
			chunks.push(r.value);
		}
		if (chunks.length === 1) return chunks[0];
		const out = new Uint8Array(n);
		let off = 0;
		for (const c of chunks) {
			out.set(c, off);
			off += c.byteLength;
		}
		return out;
	})();`)
