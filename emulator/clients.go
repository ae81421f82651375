package emulator

import (
	"slices"
	"strconv"
	"strings"
)

var explicitAuthFlowValues = []string{"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH",
	"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
	"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"}

// createClientRequest is CreateUserPoolClient's request; its members are
// validated by createClient, which the seed shares.
type createClientRequest struct {
	UserPoolId                 string
	ClientName                 string
	GenerateSecret             bool
	ExplicitAuthFlows          []string
	PreventUserExistenceErrors string
	AccessTokenValidity        *int
	IdTokenValidity            *int
	RefreshTokenValidity       *int
	TokenValidityUnits         *tokenValidityUnits
	AuthSessionValidity        *int
	EnableTokenRevocation      *bool
	RefreshTokenRotation       *refreshTokenRotation
}

// clientSpec is what CreateUserPoolClient and the seed file describe.
type clientSpec struct {
	createClientRequest
	ID     string // empty: generate
	Secret string // with ID from a seed: a fixed secret
}

func (r createClientRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.required("clientName", r.ClientName != "")
	v.length("clientName", r.ClientName, 1, 128)
	for i, f := range r.ExplicitAuthFlows {
		v.enum("explicitAuthFlows."+strconv.Itoa(i+1)+".member", f, explicitAuthFlowValues...)
	}
	v.enum("preventUserExistenceErrors", r.PreventUserExistenceErrors, "LEGACY", "ENABLED")
	if u := r.TokenValidityUnits; u != nil {
		v.enum("tokenValidityUnits.accessToken", u.AccessToken, "seconds", "minutes", "hours", "days")
		v.enum("tokenValidityUnits.idToken", u.IdToken, "seconds", "minutes", "hours", "days")
		v.enum("tokenValidityUnits.refreshToken", u.RefreshToken, "seconds", "minutes", "hours", "days")
	}
	if r := r.RefreshTokenRotation; r != nil {
		v.required("refreshTokenRotation.feature", r.Feature != "")
		v.enum("refreshTokenRotation.feature", r.Feature, "ENABLED", "DISABLED")
		v.rangeInt("refreshTokenRotation.retryGracePeriodSeconds", r.RetryGracePeriodSeconds, 0, 60)
	}
	return v.err()
}

// createClient validates spec and stores a new app client.
func (e *Emulator) createClient(t *txn, spec clientSpec) (*clientRecord, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	if spec.ID != "" {
		var v validation
		v.clientID("clientId", spec.ID)
		if err := v.err(); err != nil {
			return nil, err
		}
	}
	c, err := clientFromSpec(spec)
	if err != nil {
		return nil, err
	}
	if _, err := mustPool(t, c.PoolID); err != nil {
		return nil, err
	}
	if spec.GenerateSecret && c.Secret == "" {
		c.Secret = newClientSecret()
	}
	for c.ID == "" {
		id := newClientID()
		if existing, err := t.client(id); err != nil {
			return nil, err
		} else if existing == nil {
			c.ID = id
		}
	}
	if existing, err := t.client(c.ID); err != nil {
		return nil, err
	} else if existing != nil {
		return nil, errInvalidParam("User pool client %s already exists.", c.ID)
	}
	now := e.now().UTC()
	c.Created, c.Modified = now, now
	return c, t.put(bucketClients, c.ID, c)
}

// clientFromSpec applies Cognito's defaults and limits to what a
// CreateUserPoolClient or UpdateUserPoolClient request (already validated)
// says: members left out take their default values.
func clientFromSpec(spec clientSpec) (*clientRecord, error) {
	units := tokenValidityUnits{}
	if spec.TokenValidityUnits != nil {
		units = *spec.TokenValidityUnits
	}
	c := &clientRecord{ID: spec.ID, PoolID: spec.UserPoolId, Name: spec.ClientName, Secret: spec.Secret,
		ExplicitAuthFlows: dedupe(spec.ExplicitAuthFlows), PreventUserExistenceErrors: spec.PreventUserExistenceErrors,
		AccessTokenValidity: 60, IDTokenValidity: 60, RefreshTokenValidity: 30, AuthSessionValidity: 3,
		EnableTokenRevocation: true, Units: units, RefreshTokenRotation: spec.RefreshTokenRotation}
	if c.PreventUserExistenceErrors == "" {
		c.PreventUserExistenceErrors = "LEGACY" // the API default (the console's is ENABLED)
	}
	// Validity counts are in the client's units: minutes by default for access
	// and id tokens, days for refresh tokens.
	if units.AccessToken == "" {
		c.Units.AccessToken = "minutes"
	}
	if units.IdToken == "" {
		c.Units.IdToken = "minutes"
	}
	if units.RefreshToken == "" {
		c.Units.RefreshToken = "days"
	}
	setInt(&c.AccessTokenValidity, spec.AccessTokenValidity)
	setInt(&c.IDTokenValidity, spec.IdTokenValidity)
	setInt(&c.RefreshTokenValidity, spec.RefreshTokenValidity)
	setInt(&c.AuthSessionValidity, spec.AuthSessionValidity)
	setBool(&c.EnableTokenRevocation, spec.EnableTokenRevocation)
	if c.AuthSessionValidity < 3 || c.AuthSessionValidity > 15 {
		return nil, errInvalidParam("1 validation error detected: Value '%d' at 'authSessionValidity' failed to satisfy constraint: Member must have value between 3 and 15", c.AuthSessionValidity)
	}
	if ttl := c.accessTTL(); ttl < 5*60e9 || ttl > 24*60*60e9 {
		return nil, errInvalidParam("Invalid range for token validity.")
	}
	if ttl := c.idTTL(); ttl < 5*60e9 || ttl > 24*60*60e9 {
		return nil, errInvalidParam("Invalid range for token validity.")
	}
	if ttl := c.refreshTTL(); ttl < 60*60e9 || ttl > 3650*24*60*60e9 {
		return nil, errInvalidParam("Invalid range for token validity.")
	}
	newStyle := false
	for _, f := range c.ExplicitAuthFlows {
		newStyle = newStyle || strings.HasPrefix(f, "ALLOW_")
	}
	if newStyle && !slices.Contains(c.ExplicitAuthFlows, "ALLOW_REFRESH_TOKEN_AUTH") {
		return nil, errInvalidParam("REFRESH_TOKEN_AUTH should always be allowed.")
	}
	return c, nil
}
