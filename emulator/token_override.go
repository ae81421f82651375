package emulator

import (
	"slices"
	"strings"

	"github.com/cognito-wasm/cognito-wasm/emulator/lambda"
)

// reservedClaims are those the pre-token-generation trigger can neither add,
// override nor suppress: Cognito ignores such requests and the token keeps
// its own value. Claims under the cognito: prefix are Cognito's too; the
// groups change only through groupOverrideDetails.
var reservedClaims = map[string]bool{
	"acr": true, "amr": true, "at_hash": true, "auth_time": true, "azp": true, "c_hash": true,
	"exp": true, "iat": true, "iss": true, "jti": true, "nbf": true, "nonce": true,
	"origin_jti": true, "sub": true, "token_use": true, "aud": true, "event_id": true,
	"identities": true, "client_id": true, "scope": true, "username": true,
}

func reservedClaim(name string) bool {
	return reservedClaims[name] || strings.HasPrefix(name, "cognito:")
}

// applyTokenOverride changes the id and access tokens' claims as the
// trigger answered: the group details first, then suppressions, then
// additions and overrides, and the access token's scopes.
func applyTokenOverride(id, access map[string]any, o *lambda.PreTokenGenerationResponse) {
	if g := o.Groups; g != nil {
		for _, claims := range []map[string]any{id, access} {
			delete(claims, "cognito:groups")
			if len(g.GroupsToOverride) > 0 {
				claims["cognito:groups"] = g.GroupsToOverride
			}
		}
		delete(id, "cognito:roles")
		delete(id, "cognito:preferred_role")
		if len(g.IAMRolesToOverride) > 0 {
			id["cognito:roles"] = g.IAMRolesToOverride
		}
		if g.PreferredRole != nil && *g.PreferredRole != "" {
			id["cognito:preferred_role"] = *g.PreferredRole
		}
	}
	applyClaims(id, o.ID)
	applyClaims(access, o.Access)
	if len(o.Access.ScopesToAdd) == 0 && len(o.Access.ScopesToSuppress) == 0 {
		return
	}
	scopes := strings.Fields(access["scope"].(string))
	scopes = slices.DeleteFunc(scopes, func(s string) bool { return slices.Contains(o.Access.ScopesToSuppress, s) })
	for _, s := range o.Access.ScopesToAdd {
		if s != "" && !strings.ContainsAny(s, " \t\n") && !slices.Contains(scopes, s) && !slices.Contains(o.Access.ScopesToSuppress, s) {
			scopes = append(scopes, s)
		}
	}
	if len(scopes) == 0 {
		delete(access, "scope")
		return
	}
	access["scope"] = strings.Join(scopes, " ")
}

func applyClaims(claims map[string]any, o lambda.TokenClaimsOverride) {
	for _, name := range o.ClaimsToSuppress {
		if !reservedClaim(name) {
			delete(claims, name)
		}
	}
	for name, value := range o.ClaimsToAddOrOverride {
		if !reservedClaim(name) && value != nil {
			claims[name] = value
		}
	}
}
