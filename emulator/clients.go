package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

var explicitAuthFlowValues = []string{"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH",
	"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
	"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"}

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
}

// clientSpec is what CreateUserPoolClient and the seed file describe.
type clientSpec struct {
	createClientRequest
	ID     string // empty: generate
	Secret string // with ID from a seed: a fixed secret
}

func (e *Emulator) createUserPoolClient(r *http.Request) (any, error) {
	var req createClientRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var c *clientRecord
	err := e.store.update(func(t *txn) (err error) {
		c, err = e.createClient(t, clientSpec{createClientRequest: req})
		return err
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"UserPoolClient": clientView(c)}, nil
}

func (e *Emulator) createClient(t *txn, spec clientSpec) (*clientRecord, error) {
	var v validation
	v.poolID(spec.UserPoolId)
	v.required("clientName", spec.ClientName != "")
	v.length("clientName", spec.ClientName, 1, 128)
	for i, f := range spec.ExplicitAuthFlows {
		v.enum("explicitAuthFlows."+strconv.Itoa(i+1)+".member", f, explicitAuthFlowValues...)
	}
	v.enum("preventUserExistenceErrors", spec.PreventUserExistenceErrors, "LEGACY", "ENABLED")
	if spec.ID != "" {
		v.clientID("clientId", spec.ID)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	units := tokenValidityUnits{}
	if spec.TokenValidityUnits != nil {
		units = *spec.TokenValidityUnits
		for _, u := range []string{units.AccessToken, units.IdToken, units.RefreshToken} {
			v.enum("tokenValidityUnits", u, "seconds", "minutes", "hours", "days")
		}
		if err := v.err(); err != nil {
			return nil, err
		}
	}
	c := &clientRecord{ID: spec.ID, PoolID: spec.UserPoolId, Name: spec.ClientName, Secret: spec.Secret,
		ExplicitAuthFlows: dedupe(spec.ExplicitAuthFlows), PreventUserExistenceErrors: spec.PreventUserExistenceErrors,
		AccessTokenValidity: 60, IDTokenValidity: 60, RefreshTokenValidity: 30, AuthSessionValidity: 3,
		EnableTokenRevocation: true, Units: units}
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

func clientView(c *clientRecord) map[string]any {
	view := map[string]any{
		"UserPoolId":                               c.PoolID,
		"ClientName":                               c.Name,
		"ClientId":                                 c.ID,
		"LastModifiedDate":                         epoch(c.Modified),
		"CreationDate":                             epoch(c.Created),
		"RefreshTokenValidity":                     c.RefreshTokenValidity,
		"AccessTokenValidity":                      c.AccessTokenValidity,
		"IdTokenValidity":                          c.IDTokenValidity,
		"TokenValidityUnits":                       c.Units,
		"AllowedOAuthFlowsUserPoolClient":          false,
		"PreventUserExistenceErrors":               c.PreventUserExistenceErrors,
		"EnableTokenRevocation":                    c.EnableTokenRevocation,
		"EnablePropagateAdditionalUserContextData": false,
		"AuthSessionValidity":                      c.AuthSessionValidity,
	}
	if c.Secret != "" {
		view["ClientSecret"] = c.Secret
	}
	if len(c.ExplicitAuthFlows) > 0 {
		view["ExplicitAuthFlows"] = c.ExplicitAuthFlows
	}
	return view
}

func (e *Emulator) describeUserPoolClient(r *http.Request) (any, error) {
	var req struct{ UserPoolId, ClientId string }
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var v validation
	v.poolID(req.UserPoolId)
	v.clientID("clientId", req.ClientId)
	if err := v.err(); err != nil {
		return nil, err
	}
	var out any
	err := e.store.view(func(t *txn) error {
		if _, err := mustPool(t, req.UserPoolId); err != nil {
			return err
		}
		c, err := t.client(req.ClientId)
		if err != nil {
			return err
		}
		if c == nil || c.PoolID != req.UserPoolId {
			return errClientNotFound(req.ClientId)
		}
		out = map[string]any{"UserPoolClient": clientView(c)}
		return nil
	})
	return out, err
}
