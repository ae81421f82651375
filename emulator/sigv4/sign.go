package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// unsignedHeaders are the headers SigV4 signers leave out: hop-by-hop or
// rewritten on the way.
var unsignedHeaders = map[string]bool{
	"authorization": true, "user-agent": true, "x-amzn-trace-id": true, "expect": true, "transfer-encoding": true,
}

// Sign adds SigV4 (X-Amz-Date and Authorization) to an outgoing request
// whose whole body is body, signing every header it carries with its host
// (and content length), and the session token when c has one. The emulator signs its Lambda invocations so that
// Lambda emulators that read the credential scope (LocalStack) accept them.
func Sign(r *http.Request, body []byte, c Credentials, region, service string, now time.Time) {
	now = now.UTC()
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	r.Header.Set("X-Amz-Date", now.Format(timeFormat))
	if c.SessionToken != "" {
		r.Header.Set("X-Amz-Security-Token", c.SessionToken)
	}
	names := []string{"host"}
	if r.ContentLength > 0 {
		names = append(names, "content-length")
		r.Header.Del("Content-Length") // net/http sends it from ContentLength
	}
	for name := range r.Header {
		n := strings.ToLower(name)
		if !unsignedHeaders[n] && n != "host" && n != "content-length" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(r.Method + "\n" + canonicalURI(r.URL) + "\n" + canonicalQuery(r.URL.RawQuery) + "\n")
	for _, n := range names {
		v := headerValue(r, n)
		if n == "content-length" {
			v = strconv.FormatInt(r.ContentLength, 10)
		}
		b.WriteString(n + ":" + v + "\n")
	}
	sum := sha256.Sum256(body)
	b.WriteString("\n" + strings.Join(names, ";") + "\n" + hex.EncodeToString(sum[:]))
	date := now.Format(dateFormat)
	scope := date + "/" + region + "/" + service + "/aws4_request"
	creq := sha256.Sum256([]byte(b.String()))
	toSign := algorithm + "\n" + now.Format(timeFormat) + "\n" + scope + "\n" + hex.EncodeToString(creq[:])
	key := hmacSHA256([]byte("AWS4"+c.SecretAccessKey), date)
	key = hmacSHA256(key, region)
	key = hmacSHA256(key, service)
	key = hmacSHA256(key, "aws4_request")
	r.Header.Set("Authorization", algorithm+" Credential="+c.AccessKeyID+"/"+scope+", SignedHeaders="+
		strings.Join(names, ";")+", Signature="+hex.EncodeToString(hmacSHA256(key, toSign)))
}
