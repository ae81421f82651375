package emulator

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/cognito-wasm/cognito-wasm/emulator/lambda"
)

// Sign-in's Lambda triggers, run as Cognito runs them: PreAuthentication
// when a sign-in starts (not on refresh), PostAuthentication once the user
// is fully signed in and before the tokens go out, and the custom-auth
// triggers in flow_custom_auth.go; PreSignUp before SignUp creates the user
// and PostConfirmation after a confirmed sign-up or password reset, and
// UserMigration for a name the pool does not know, and PreTokenGeneration
// before any tokens are signed, refresh included (below).
// A pool without a trigger's ARN skips it.

// lambdaConfigType is a pool's LambdaConfig: the triggers' function ARNs,
// as CreateUserPool takes and DescribeUserPool shows them. All are kept;
// the sign-in triggers, PreSignUp, PostConfirmation, UserMigration,
// CustomMessage and PreTokenGeneration are the ones the emulator invokes.
type lambdaConfigType struct {
	PreSignUp                   string `json:",omitempty"`
	CustomMessage               string `json:",omitempty"`
	PostConfirmation            string `json:",omitempty"`
	PreAuthentication           string `json:",omitempty"`
	PostAuthentication          string `json:",omitempty"`
	DefineAuthChallenge         string `json:",omitempty"`
	CreateAuthChallenge         string `json:",omitempty"`
	VerifyAuthChallengeResponse string `json:",omitempty"`
	PreTokenGeneration          string `json:",omitempty"`
	UserMigration               string `json:",omitempty"`
	// PreTokenGenerationConfig names the pre-token-generation trigger with
	// its event version; it wins over PreTokenGeneration (always V1_0).
	PreTokenGenerationConfig *preTokenGenerationConfig `json:",omitempty"`
}

type preTokenGenerationConfig struct {
	LambdaVersion string
	LambdaArn     string
}

// preTokenTrigger is the pool's pre-token-generation function and the
// version of the event it takes ("1", "2" or "3"); "" when it has none.
func (lc lambdaConfigType) preTokenTrigger() (arn, version string) {
	if c := lc.PreTokenGenerationConfig; c != nil && c.LambdaArn != "" {
		switch c.LambdaVersion {
		case "V2_0":
			return c.LambdaArn, "2"
		case "V3_0":
			return c.LambdaArn, "3"
		}
		return c.LambdaArn, "1"
	}
	if lc.PreTokenGeneration != "" {
		return lc.PreTokenGeneration, "1"
	}
	return "", ""
}

// arnPattern is Cognito's constraint on a trigger ARN.
var arnPattern = regexp.MustCompile(`^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$`)

// validate checks each ARN as Cognito's model does.
func (lc lambdaConfigType) validate(v *validation) {
	lc.validatePreTokenConfig(v)
	for _, f := range []struct{ name, arn string }{
		{"preSignUp", lc.PreSignUp}, {"customMessage", lc.CustomMessage}, {"postConfirmation", lc.PostConfirmation},
		{"preAuthentication", lc.PreAuthentication}, {"postAuthentication", lc.PostAuthentication},
		{"defineAuthChallenge", lc.DefineAuthChallenge}, {"createAuthChallenge", lc.CreateAuthChallenge},
		{"verifyAuthChallengeResponse", lc.VerifyAuthChallengeResponse}, {"preTokenGeneration", lc.PreTokenGeneration},
		{"userMigration", lc.UserMigration}, {"preTokenGenerationConfig.lambdaArn", preTokenARN(lc)},
	} {
		if f.arn == "" {
			continue
		}
		field := "lambdaConfig." + f.name
		v.length(field, f.arn, 20, 2048)
		if len(f.arn) <= 2048 && !arnPattern.MatchString(f.arn) {
			*v = append(*v, "Value '"+truncateRunes(f.arn, 256)+"' at '"+field+"' failed to satisfy constraint: Member must satisfy regular expression pattern: "+
				`arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`)
		}
	}
}

// preTokenARN is PreTokenGenerationConfig's LambdaArn, for validate.
func preTokenARN(lc lambdaConfigType) string {
	if lc.PreTokenGenerationConfig == nil {
		return ""
	}
	return lc.PreTokenGenerationConfig.LambdaArn
}

// validatePreTokenConfig checks PreTokenGenerationConfig's required members.
func (lc lambdaConfigType) validatePreTokenConfig(v *validation) {
	c := lc.PreTokenGenerationConfig
	if c == nil {
		return
	}
	if c.LambdaArn == "" {
		*v = append(*v, "Value null at 'lambdaConfig.preTokenGenerationConfig.lambdaArn' failed to satisfy constraint: Member must not be null")
	}
	if c.LambdaVersion == "" {
		*v = append(*v, "Value null at 'lambdaConfig.preTokenGenerationConfig.lambdaVersion' failed to satisfy constraint: Member must not be null")
	} else {
		v.enum("lambdaConfig.preTokenGenerationConfig.lambdaVersion", c.LambdaVersion, "V1_0", "V2_0", "V3_0")
	}
}

// triggerCaller is the common part of every trigger event.
func triggerCaller(sc *signInContext, username string) lambda.Caller {
	region, _, _ := strings.Cut(sc.pool.ID, "_")
	return lambda.Caller{Region: region, UserPoolID: sc.pool.ID, UserName: username, ClientID: sc.client.ID}
}

// triggerAttributes is the user's attributes as triggers see them, with
// cognito:user_status added as Cognito adds it. An unknown user has none.
func triggerAttributes(u *userRecord) map[string]string {
	out := map[string]string{}
	if u == nil {
		return out
	}
	for _, a := range u.Attributes {
		out[a.Name] = a.Value
	}
	out["cognito:user_status"] = u.Status
	return out
}

// triggerError turns a trigger failure into the Cognito exception the
// caller gets; other errors pass through.
func triggerError(err error) error {
	var le *lambda.Error
	if errors.As(err, &le) {
		return errf(le.Type, "%s", le.Message)
	}
	return err
}

// preAuthentication runs the pool's PreAuthentication trigger for a sign-in
// that starts with params. It does nothing when the pool has none, or when
// the request is one the flow will refuse anyway (no USERNAME, a wrong
// SECRET_HASH, an unknown user without PreventUserExistenceErrors): the
// flow reports those in its own words. ClientMetadata reaches the trigger
// as validationData.
func (e *Emulator) preAuthentication(ctx context.Context, sc *signInContext, params map[string]string) error {
	arn := sc.pool.LambdaConfig.PreAuthentication
	typed := params["USERNAME"]
	if arn == "" || typed == "" || checkSecretHash(sc.client, typed, params["SECRET_HASH"]) != nil {
		return nil
	}
	u, err := e.findUser(sc.pool, typed)
	if err != nil {
		return err
	}
	name := typed
	if u != nil {
		name = u.Username
	} else if sc.client.PreventUserExistenceErrors != "ENABLED" {
		return nil
	}
	err = e.lambda.PreAuthentication(ctx, arn, triggerCaller(sc, name), lambda.PreAuthenticationRequest{
		UserAttributes: triggerAttributes(u), ValidationData: sc.clientMetadata, UserNotFound: u == nil,
	})
	return triggerError(err)
}

// respondMetadata is the ClientMetadata the post-authentication and
// custom-auth triggers see: Cognito passes them RespondToAuthChallenge's,
// never InitiateAuth's.
func respondMetadata(sc *signInContext) map[string]string {
	if sc.responding {
		return sc.clientMetadata
	}
	return nil
}

// postAuthentication runs the pool's PostAuthentication trigger for a user
// about to receive tokens; its failure withholds them.
func (e *Emulator) postAuthentication(ctx context.Context, sc *signInContext, u *userRecord) error {
	arn := sc.pool.LambdaConfig.PostAuthentication
	if arn == "" {
		return nil
	}
	err := e.lambda.PostAuthentication(ctx, arn, triggerCaller(sc, u.Username), lambda.PostAuthenticationRequest{
		UserAttributes: triggerAttributes(u), ClientMetadata: respondMetadata(sc),
	})
	return triggerError(err)
}

// adminCaller is the signInContext of a trigger run by an Admin operation,
// which names no app client: Cognito sends CLIENT_ID_NOT_APPLICABLE.
func adminCaller(p *poolRecord) *signInContext {
	return &signInContext{pool: p, client: &clientRecord{ID: adminClientID}}
}

// adminClientID is callerContext.clientId for requests without an app client.
const adminClientID = "CLIENT_ID_NOT_APPLICABLE"

func attributeMap(attrs []attributeJSON) map[string]string {
	out := make(map[string]string, len(attrs))
	for _, a := range attrs {
		out[a.Name] = a.Value
	}
	return out
}

// preSignUp runs the pool's PreSignUp trigger before SignUp (source
// SignUp) or AdminCreateUser (source AdminCreateUser) creates the user;
// without one, nothing is decided for the user.
func (e *Emulator) preSignUp(ctx context.Context, sc *signInContext, source, username string, attrs, validationData []attributeJSON, metadata map[string]string) (lambda.PreSignUpResponse, error) {
	arn := sc.pool.LambdaConfig.PreSignUp
	if arn == "" {
		return lambda.PreSignUpResponse{}, nil
	}
	res, err := e.lambda.PreSignUp(ctx, arn, source, triggerCaller(sc, username), lambda.PreSignUpRequest{
		UserAttributes: attributeMap(attrs), ValidationData: attributeMap(validationData), ClientMetadata: metadata,
	})
	return res, triggerError(err)
}

// autoVerify marks the email address and phone number verified as the
// PreSignUp trigger decided.
func autoVerify(u *userRecord, decided lambda.PreSignUpResponse) {
	for attr, verify := range map[string]bool{"email": decided.AutoVerifyEmail, "phone_number": decided.AutoVerifyPhone} {
		if verify && u.attr(attr) != "" {
			u.setAttr(attr+"_verified", "true")
		}
	}
}

// postConfirmation runs the pool's PostConfirmation trigger once a sign-up
// or a password reset is confirmed (source ConfirmSignUp or
// ConfirmForgotPassword). The confirmation is stored before: a failing
// trigger is the caller's error, and the user stays confirmed, as in Cognito.
func (e *Emulator) postConfirmation(ctx context.Context, sc *signInContext, u *userRecord, source string, metadata map[string]string) error {
	arn := sc.pool.LambdaConfig.PostConfirmation
	if arn == "" {
		return nil
	}
	err := e.lambda.PostConfirmation(ctx, arn, source, triggerCaller(sc, u.Username), lambda.PostConfirmationRequest{
		UserAttributes: triggerAttributes(u), ClientMetadata: metadata,
	})
	return triggerError(err)
}

// migrateUser runs the pool's UserMigration trigger for a name the pool
// does not know, on a password sign-in (source Authentication, with the
// password typed) or ForgotPassword, and creates the user it returns: with
// that password, CONFIRMED unless the trigger says RESET_REQUIRED; from
// ForgotPassword, RESET_REQUIRED with an unusable password until the reset
// is confirmed. Nil when the pool has no such trigger or it found no one,
// or when it failed and the client hides which users exist.
func (e *Emulator) migrateUser(ctx context.Context, sc *signInContext, typed, password, source string, metadata map[string]string) (*userRecord, error) {
	arn := sc.pool.LambdaConfig.UserMigration
	if arn == "" {
		return nil, nil
	}
	req := lambda.UserMigrationRequest{Password: password, ClientMetadata: metadata}
	if source == "Authentication" {
		req = lambda.UserMigrationRequest{Password: password, ValidationData: metadata}
	}
	res, err := e.lambda.UserMigration(ctx, arn, source, triggerCaller(sc, typed), req)
	if err != nil && hidesUsers(sc.client) {
		// A client that hides which users exist answers a failed migration
		// exactly as a name the trigger did not find: through the caller's
		// unknown-user path, so neither the answer nor the lockout differs.
		// The log says why, without the trigger's message (it may echo
		// what was typed).
		e.log.Info("UserMigration trigger failed; answering as for an unknown user (PreventUserExistenceErrors)", "pool", sc.pool.ID, "source", source)
		return nil, nil
	}
	if err != nil {
		return nil, triggerError(err)
	}
	if res.UserAttributes == nil {
		return nil, nil
	}
	var attrs []attributeJSON
	for _, name := range sortedKeys(res.UserAttributes) {
		if name != "sub" && name != "username" {
			attrs = append(attrs, attributeJSON{Name: name, Value: res.UserAttributes[name]})
		}
	}
	status := statusConfirmed
	if res.FinalUserStatus == statusResetRequired || source == "ForgotPassword" {
		status = statusResetRequired
	}
	if password == "" {
		password = temporaryPassword()
	}
	var u *userRecord
	err = e.store.update(func(t *txn) error {
		p, err := mustPool(t, sc.pool.ID)
		if err != nil {
			return err
		}
		if existing, err := t.resolveUser(p, typed); err != nil || existing != nil {
			u = existing // created meanwhile by another request
			return err
		}
		u, err = e.createUser(t, p, newUserSpec{Username: typed, Password: password, Attributes: attrs, Status: status})
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// preTokenGeneration runs the pool's pre-token-generation trigger for u
// before its tokens are signed, with source (Authentication,
// NewPasswordChallenge, RefreshTokens): outside any store transaction, so
// callers invoke it first and issue after. Nil when the pool has none.
// ClientMetadata reaches it from RespondToAuthChallenge and
// GetTokensFromRefreshToken, never from InitiateAuth, as Cognito documents.
func (e *Emulator) preTokenGeneration(ctx context.Context, sc *signInContext, u *userRecord, source string) (*lambda.PreTokenGenerationResponse, error) {
	arn, version := sc.pool.LambdaConfig.preTokenTrigger()
	if arn == "" {
		return nil, nil
	}
	req := lambda.PreTokenGenerationRequest{
		Version: version, UserAttributes: triggerAttributes(u), ClientMetadata: tokenMetadata(sc, source),
		Groups: lambda.GroupConfiguration{GroupsToOverride: u.Groups},
	}
	if version != "1" {
		req.Scopes = []string{accessScope}
	}
	res, err := e.lambda.PreTokenGeneration(ctx, arn, source, triggerCaller(sc, u.Username), req)
	if err != nil {
		return nil, triggerError(err)
	}
	return &res, nil
}

func tokenMetadata(sc *signInContext, source string) map[string]string {
	if source == "RefreshTokens" && !sc.refreshOperation {
		return nil // REFRESH_TOKEN_AUTH through InitiateAuth
	}
	if source == "RefreshTokens" {
		return sc.clientMetadata
	}
	return respondMetadata(sc)
}
