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

// armTimer aborts ac after ms milliseconds and records that it did.
var armTimer = js.Global().Get("Function").New("ac", "ms", `
	const t = {fired: false};
	t.id = setTimeout(() => { t.fired = true; ac.abort(); }, ms);
	return t;`)

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
	opts.Set("cache", "no-store")
	opts.Set("signal", ac.Get("signal"))
	if len(body) > 0 {
		arr := js.Global().Get("Uint8Array").New(len(body))
		js.CopyBytesToJS(arr, body)
		opts.Set("body", arr)
	}

	timer := armTimer.Invoke(ac, timeout.Milliseconds())
	defer js.Global().Call("clearTimeout", timer.Get("id"))
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

	jsResp, err := Await(ctx, js.Global().Call("fetch", req.URL.String(), opts))
	if err != nil {
		return nil, t.wrap(ctx, req, err, timedOut(), timeout)
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
	data, err := readBody(ctx, jsResp.Get("body"), maxResp)
	if err != nil {
		ac.Call("abort")
		return nil, t.wrap(ctx, req, err, timedOut(), timeout)
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

func (t *FetchTransport) wrap(ctx context.Context, req *http.Request, err error, timedOut bool, timeout time.Duration) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if timedOut {
		err = fmt.Errorf("no answer within %v", timeout)
	}
	if errors.Is(err, ErrResponseTooLarge) {
		return err
	}
	return &FetchError{Method: req.Method, URL: req.URL.Redacted(), Err: err}
}

// FetchError is a fetch that failed without an HTTP answer: the network, DNS,
// TLS, or in browsers a CORS refusal (which scripts cannot tell apart). Its
// code NetworkError becomes the JS Error's name.
type FetchError struct {
	Method, URL string
	Err         error
}

func (e *FetchError) Error() string {
	return fmt.Sprintf("jsbridge: fetch %s %s: %v", e.Method, e.URL, e.Err)
}
func (e *FetchError) ErrorCode() string { return "NetworkError" }
func (e *FetchError) ErrorMessage() string {
	return fmt.Sprintf("could not reach %s (%v); check the endpoint, the network and, in a browser, CORS", e.URL, e.Err)
}
func (e *FetchError) Unwrap() error { return e.Err }

// readBody drains a ReadableStream (or null) into memory, up to max bytes.
func readBody(ctx context.Context, stream js.Value, max int64) ([]byte, error) {
	if IsNullish(stream) {
		return nil, nil
	}
	reader := stream.Call("getReader")
	var buf bytes.Buffer
	for {
		r, err := Await(ctx, reader.Call("read"))
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
