package emulator

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/cognito-wasm/cognito-wasm/emulator/lambda"
	"github.com/cognito-wasm/cognito-wasm/emulator/sigv4"
)

// newTriggersAndVerifier builds, from cfg, the Lambda client the triggers
// are invoked with and the SigV4 verifier admin operations are checked
// with; each is nil when cfg does not ask for it.
func newTriggersAndVerifier(cfg Config) (*lambda.Client, *sigv4.Verifier, error) {
	var triggers *lambda.Client
	if cfg.LambdaEndpoint != "" {
		c, err := lambda.New(cfg.LambdaEndpoint, nil, 0)
		if err != nil {
			return nil, nil, fmt.Errorf("emulator: %w", err)
		}
		triggers = c
	}
	var verifier *sigv4.Verifier
	if len(cfg.Credentials) > 0 {
		for _, c := range cfg.Credentials {
			if c.AccessKeyID == "" || c.SecretAccessKey == "" {
				return nil, nil, errors.New("emulator: credentials need an access key id and a secret")
			}
		}
		verifier = &sigv4.Verifier{Credentials: cfg.Credentials, Service: "cognito-idp", Region: cfg.Region, Now: cfg.Now}
	}
	return triggers, verifier, nil
}

// authorizeAdmin refuses an admin or management call that AWS would
// refuse: unsigned always; with configured credentials, also signed with
// an unknown key, a wrong secret, for another region, or too long ago.
func (e *Emulator) authorizeAdmin(r *http.Request, body []byte) error {
	if e.verifier == nil {
		if !sigV4Signed(r) {
			return errf("MissingAuthenticationTokenException", "Missing Authentication Token")
		}
		return nil
	}
	if err := e.verifier.Verify(r, body); err != nil {
		var se *sigv4.Error
		if errors.As(err, &se) {
			return errf(se.Type, "%s", se.Message)
		}
		return err
	}
	return nil
}
