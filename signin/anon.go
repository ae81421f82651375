package signin

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/cognito-wasm/cognito-wasm/internal/cognitorpc"
)

// defaultAPI is the API New builds when Config.API is nil: InitiateAuth
// and RespondToAuthChallenge, which are anonymous (no SigV4), through
// internal/cognitorpc's one JSON call path rather than the SDK client's
// operations, each of which costs the wasm module about 5 KB of brotli (its
// middleware stack, serializer, deserializer and error switch). The retry
// rules are the SDK client's, run by the SDK's own attempt loop (send).
//
// Nothing may keep a *cip.Client where the linker sees it reach an
// interface (an API value, or a field of a type stored in one): it would
// then link every method of the client that matches API's.
type defaultAPI struct {
	rpc *cognitorpc.Client
	// retryer is what cip.Options.Retryer was: the client's rules (never
	// retry NotAuthorizedException, see neverRetry) and its retry quota,
	// shared by its calls; sendOnce replaces it per call with onceOnly.
	retryer aws.Retryer
}

// initiateRequest is InitiateAuth's JSON body with the fields signin sends,
// in the SDK serializer's (alphabetical) order; like it, a nil field is left
// out.
type initiateRequest struct {
	AuthFlow       types.AuthFlowType `json:",omitempty"`
	AuthParameters map[string]string  `json:",omitempty"`
	ClientId       *string            `json:",omitempty"`
	ClientMetadata map[string]string  `json:",omitempty"`
	Session        *string            `json:",omitempty"`
}

// respondRequest is RespondToAuthChallenge's, as initiateRequest.
type respondRequest struct {
	ChallengeName      types.ChallengeNameType `json:",omitempty"`
	ChallengeResponses map[string]string       `json:",omitempty"`
	ClientId           *string                 `json:",omitempty"`
	ClientMetadata     map[string]string       `json:",omitempty"`
	Session            *string                 `json:",omitempty"`
}

// InitiateAuth sends the fields signin sets (AnalyticsMetadata and
// UserContextData it never sets). The answer's JSON names are the SDK
// output's field names, so it decodes into the SDK type directly.
func (d *defaultAPI) InitiateAuth(ctx context.Context, in *cip.InitiateAuthInput, opts ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	out := new(cip.InitiateAuthOutput)
	err := d.send(ctx, "InitiateAuth", &initiateRequest{in.AuthFlow, in.AuthParameters, in.ClientId, in.ClientMetadata, in.Session}, out, opts)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RespondToAuthChallenge: as InitiateAuth.
func (d *defaultAPI) RespondToAuthChallenge(ctx context.Context, in *cip.RespondToAuthChallengeInput, opts ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error) {
	out := new(cip.RespondToAuthChallengeOutput)
	err := d.send(ctx, "RespondToAuthChallenge", &respondRequest{in.ChallengeName, in.ChallengeResponses, in.ClientId, in.ClientMetadata, in.Session}, out, opts)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// send makes one call under the retry rules the SDK client would apply:
// the retryer opts leave in cip.Options (the client's, or onceOnly from
// sendOnce).
func (d *defaultAPI) send(ctx context.Context, op string, in, out any, opts []func(*cip.Options)) error {
	o := cip.Options{Retryer: d.retryer}
	for _, fn := range opts {
		fn(&o)
	}
	return sendRetried(ctx, d.rpc, o.Retryer, op, in, out)
}

// sendRetried makes one call through rpc under retryer, run by the SDK's
// own attempt loop (retry.Attempt), so attempts, back-off, the retry quota
// and the errors (MaxAttemptsError inside OperationError) are the same as
// through the SDK client. The Admin operations use it too (adminCall).
func sendRetried(ctx context.Context, rpc *cognitorpc.Client, retryer aws.Retryer, op string, in, out any) error {
	attempt := retry.NewAttemptMiddleware(retryer, func(r any) any { return r })
	_, _, err := attempt.HandleFinalize(ctx, middleware.FinalizeInput{}, middleware.FinalizeHandlerFunc(
		func(ctx context.Context, _ middleware.FinalizeInput) (middleware.FinalizeOutput, middleware.Metadata, error) {
			err := rpc.Call(ctx, op, in, out)
			if oe, ok := err.(*smithy.OperationError); ok {
				err = oe.Err // wrapped once, around the retries, as the SDK does
			}
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}))
	if err != nil {
		return &smithy.OperationError{ServiceID: cognitorpc.ServiceID, OperationName: op, Err: err}
	}
	return nil
}
