package emulator

import "context"

// ADMIN_USER_PASSWORD_AUTH (and its old name ADMIN_NO_SRP_AUTH): the
// password itself, sent by a trusted server through AdminInitiateAuth only.

func init() {
	f := flow{admin: true, allowed: allowsAdminPassword, start: startAdminUserPassword}
	flows["ADMIN_USER_PASSWORD_AUTH"] = f
	flows["ADMIN_NO_SRP_AUTH"] = f
}

// allowsAdminPassword: ALLOW_ADMIN_USER_PASSWORD_AUTH, or the legacy ADMIN_NO_SRP_AUTH.
func allowsAdminPassword(c *clientRecord) bool {
	for _, f := range c.ExplicitAuthFlows {
		if f == "ALLOW_ADMIN_USER_PASSWORD_AUTH" || f == "ADMIN_NO_SRP_AUTH" {
			return true
		}
	}
	return false
}

func startAdminUserPassword(e *Emulator, ctx context.Context, sc *signInContext, params map[string]string) (*authResponse, error) {
	if err := requireParams(params, "USERNAME", "PASSWORD"); err != nil {
		return nil, err
	}
	typed := params["USERNAME"]
	if err := checkSecretHash(sc.client, typed, params["SECRET_HASH"]); err != nil {
		return nil, err
	}
	return e.passwordFirstFactor(ctx, sc, newAuthState(sc, "ADMIN_USER_PASSWORD_AUTH"), typed, params["PASSWORD"])
}
