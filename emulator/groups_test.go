package emulator

import (
	"slices"
	"testing"
)

func groupNames(r response, key string) []string {
	var out []string
	list, _ := r.body[key].([]any)
	for _, g := range list {
		m := g.(map[string]any)
		if n, ok := m["GroupName"].(string); ok {
			out = append(out, n)
		} else {
			out = append(out, m["Username"].(string))
		}
	}
	return out
}

func TestGroups(t *testing.T) {
	h := demoHarness(t)
	r := h.admin("CreateGroup", m{"UserPoolId": demoPool, "GroupName": "admins", "Description": "Admins", "Precedence": 1})
	if r.str("Group", "GroupName") != "admins" || r.str("Group", "Description") != "Admins" || r.str("Group", "UserPoolId") != demoPool {
		t.Fatalf("CreateGroup = %s", r.raw)
	}
	h.admin("CreateGroup", m{"UserPoolId": demoPool, "GroupName": "readers"})
	wantErr(t, "CreateGroup twice", h.call("CreateGroup", m{"UserPoolId": demoPool, "GroupName": "admins"}, true),
		"GroupExistsException", "A group with the name admins already exists.")
	wantErr(t, "GetGroup unknown", h.call("GetGroup", m{"UserPoolId": demoPool, "GroupName": "nobody"}, true),
		"ResourceNotFoundException", "Group not found.")
	if r := h.call("CreateGroup", m{"UserPoolId": demoPool, "GroupName": "x"}, false); r.status == 200 {
		t.Fatal("CreateGroup answered without a signature")
	}
	r = h.admin("UpdateGroup", m{"UserPoolId": demoPool, "GroupName": "readers", "Description": "Read only"})
	if r.str("Group", "Description") != "Read only" {
		t.Fatalf("UpdateGroup = %s", r.raw)
	}
	if r := h.admin("GetGroup", m{"UserPoolId": demoPool, "GroupName": "admins"}); r.body["Group"].(map[string]any)["Precedence"] != float64(1) {
		t.Fatalf("GetGroup = %s", r.raw)
	}
	if got := groupNames(h.admin("ListGroups", m{"UserPoolId": demoPool}), "Groups"); !slices.Equal(got, []string{"admins", "readers"}) {
		t.Fatalf("ListGroups = %v", got)
	}
	page := h.admin("ListGroups", m{"UserPoolId": demoPool, "Limit": 1})
	next := h.admin("ListGroups", m{"UserPoolId": demoPool, "Limit": 1, "NextToken": page.str("NextToken")})
	if !slices.Equal(groupNames(page, "Groups"), []string{"admins"}) || !slices.Equal(groupNames(next, "Groups"), []string{"readers"}) {
		t.Fatalf("ListGroups pages = %s, %s", page.raw, next.raw)
	}

	h.admin("AdminAddUserToGroup", m{"UserPoolId": demoPool, "Username": demoUser, "GroupName": "readers"})
	h.admin("AdminAddUserToGroup", m{"UserPoolId": demoPool, "Username": demoUser, "GroupName": "admins"})
	h.admin("AdminAddUserToGroup", m{"UserPoolId": demoPool, "Username": "bob", "GroupName": "readers"})
	wantErr(t, "unknown group", h.call("AdminAddUserToGroup", m{"UserPoolId": demoPool, "Username": demoUser, "GroupName": "nope"}, true),
		"ResourceNotFoundException", "Group not found.")
	if got := groupNames(h.admin("AdminListGroupsForUser", m{"UserPoolId": demoPool, "Username": demoUser}), "Groups"); !slices.Equal(got, []string{"admins", "readers"}) {
		t.Fatalf("AdminListGroupsForUser = %v", got)
	}
	if got := groupNames(h.admin("ListUsersInGroup", m{"UserPoolId": demoPool, "GroupName": "readers"}), "Users"); !slices.Equal(got, []string{"alice", "bob"}) {
		t.Fatalf("ListUsersInGroup = %v", got)
	}

	// The groups go into both tokens.
	res := h.passwordAuth(demoClient, map[string]string{"USERNAME": demoUser, "PASSWORD": demoPass})
	for _, tok := range []string{"IdToken", "AccessToken"} {
		claims := h.verifyJWT(demoPool, res.str("AuthenticationResult", tok))
		if g, _ := claims["cognito:groups"].([]any); len(g) != 2 || g[0] != "admins" || g[1] != "readers" {
			t.Fatalf("%s cognito:groups = %v", tok, claims["cognito:groups"])
		}
	}

	h.admin("AdminRemoveUserFromGroup", m{"UserPoolId": demoPool, "Username": demoUser, "GroupName": "admins"})
	h.admin("DeleteGroup", m{"UserPoolId": demoPool, "GroupName": "readers"})
	if got := groupNames(h.admin("AdminListGroupsForUser", m{"UserPoolId": demoPool, "Username": demoUser}), "Groups"); len(got) != 0 {
		t.Fatalf("groups after removal and delete = %v", got)
	}
	res = h.passwordAuth(demoClient, map[string]string{"USERNAME": demoUser, "PASSWORD": demoPass})
	if c := h.verifyJWT(demoPool, res.str("AuthenticationResult", "IdToken")); c["cognito:groups"] != nil {
		t.Fatalf("cognito:groups without groups = %v", c["cognito:groups"])
	}
	wantErr(t, "ListUsersInGroup deleted", h.call("ListUsersInGroup", m{"UserPoolId": demoPool, "GroupName": "readers"}, true),
		"ResourceNotFoundException", "Group not found.")
}
