package signin

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cognito-wasm/cognito-wasm/internal/cognitorpc"
)

// sigv4Client signs each request with SigV4 for cognito-idp before handing
// it to hc: the Admin operations' transport.
type sigv4Client struct {
	hc     cognitorpc.HTTPClient
	creds  aws.CredentialsProvider
	region string
	// signer is the client's own: it caches derived keys by access key ID,
	// so one shared between clients would sign with another's secret.
	signer *v4.Signer
}

func (s *sigv4Client) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	creds, err := s.creds.Retrieve(req.Context())
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	if err := s.signer.SignHTTP(req.Context(), creds, req, hex.EncodeToString(sum[:]), "cognito-idp", s.region, time.Now()); err != nil {
		return nil, err
	}
	return s.hc.Do(req)
}
