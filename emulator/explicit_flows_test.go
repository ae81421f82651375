package emulator

import (
	"slices"
	"testing"
)

// TestExplicitAuthFlows checks which flows each ExplicitAuthFlows setting
// allows, through the flows table where the flow is registered.
func TestExplicitAuthFlows(t *testing.T) {
	all := []string{"USER_SRP_AUTH", "USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH", "CUSTOM_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH", "USER_AUTH"}
	tests := []struct {
		name  string
		flows []string
		want  []string
	}{
		{"none given (API default)", nil, []string{"USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "CUSTOM_AUTH"}},
		{"SRP and refresh", []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}, []string{"USER_SRP_AUTH", "REFRESH_TOKEN_AUTH"}},
		{"password only", []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}, []string{"USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"}},
		{"admin password", []string{"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}, []string{"ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH", "REFRESH_TOKEN_AUTH"}},
		{"choice-based", []string{"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}, []string{"USER_AUTH", "REFRESH_TOKEN_AUTH"}},
		{"custom", []string{"ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}, []string{"CUSTOM_AUTH", "REFRESH_TOKEN_AUTH"}},
		{"every ALLOW_ value", []string{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}, all},
		{"legacy USER_PASSWORD_AUTH", []string{"USER_PASSWORD_AUTH"}, []string{"USER_SRP_AUTH", "USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"}},
		{"legacy ADMIN_NO_SRP_AUTH", []string{"ADMIN_NO_SRP_AUTH"}, []string{"USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"}},
		{"legacy CUSTOM_AUTH_FLOW_ONLY", []string{"CUSTOM_AUTH_FLOW_ONLY"}, []string{"CUSTOM_AUTH", "REFRESH_TOKEN_AUTH"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &clientRecord{ExplicitAuthFlows: tt.flows}
			for _, f := range all {
				want := slices.Contains(tt.want, f)
				if got := c.allows(f); got != want {
					t.Errorf("allows(%v, %s) = %v; want %v", tt.flows, f, got, want)
				}
				if fl, ok := flows[f]; ok {
					if got := fl.allowed(c); got != want {
						t.Errorf("flows[%s].allowed(%v) = %v; want %v", f, tt.flows, got, want)
					}
				}
			}
		})
	}
}
