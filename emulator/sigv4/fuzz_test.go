package sigv4

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzVerify: no Authorization header, query or date a client sends may
// panic the verifier, and every refusal is an *Error.
func FuzzVerify(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "a=1&b=%20", "20261125T143000Z", []byte(`{}`))
	f.Add("AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=;;;, Signature=", "%zz=&&=", "", []byte(nil))
	f.Add("AWS4-HMAC-SHA256 ,,,=,=", "a", "Tue, 25 Nov 2026 14:30:00 GMT", []byte("x"))
	v := verifier()
	f.Fuzz(func(t *testing.T, authz, rawQuery, date string, body []byte) {
		r := &http.Request{Method: http.MethodPost, URL: &url.URL{Path: "/", RawQuery: rawQuery}, Host: "localhost", Header: http.Header{}}
		r.Header.Set("Authorization", authz)
		if strings.Contains(date, ",") {
			r.Header.Set("Date", date)
		} else {
			r.Header.Set("X-Amz-Date", date)
		}
		err := v.Verify(r, body)
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("Verify returned %T %v, not *Error", err, err)
		}
	})
}
