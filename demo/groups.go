package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
)

// Groups are the demo pools' user groups (demo/groups.json), made through
// the emulator's own API (CreateGroup, AdminAddUserToGroup) after the seed,
// since the seed file holds pools, clients and users only. The page shows a
// signed-in user's groups from the id token's cognito:groups.
type Groups struct {
	UserPools []struct {
		ID     string  `json:"id"`
		Groups []Group `json:"groups"`
	} `json:"userPools"`
}

// Group is one group of a pool with the users in it.
type Group struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Precedence  *int     `json:"precedence,omitempty"`
	Users       []string `json:"users,omitempty"`
}

// LoadGroups reads a groups file; a member it does not know is an error.
func LoadGroups(path string) (Groups, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Groups{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var g Groups
	if err := dec.Decode(&g); err != nil {
		return Groups{}, fmt.Errorf("demo: groups %s: %w", path, err)
	}
	return g, nil
}

// Apply creates the groups and their memberships through em, an emulator's
// handler. It may run on every start: a group that exists is left as it is
// (GroupExistsException), and adding a member twice is no change.
func (g Groups) Apply(em http.Handler) error {
	for _, p := range g.UserPools {
		for _, gr := range p.Groups {
			create := map[string]any{"UserPoolId": p.ID, "GroupName": gr.Name}
			if gr.Description != "" {
				create["Description"] = gr.Description
			}
			if gr.Precedence != nil {
				create["Precedence"] = *gr.Precedence
			}
			if err := adminCall(em, "CreateGroup", create, "GroupExistsException"); err != nil {
				return err
			}
			for _, u := range gr.Users {
				add := map[string]any{"UserPoolId": p.ID, "GroupName": gr.Name, "Username": u}
				if err := adminCall(em, "AdminAddUserToGroup", add, ""); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// adminCall sends one admin operation to em as an SDK would (a SigV4
// Authorization header, which an emulator without credentials accepts
// unchecked). An error answer of the type ignore counts as done.
func adminCall(em http.Handler, op string, body any, ignore string) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=cognito-demo/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00")
	rec := httptest.NewRecorder()
	em.ServeHTTP(rec, req)
	if rec.Code == http.StatusOK {
		return nil
	}
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	json.Unmarshal(rec.Body.Bytes(), &e)
	if ignore != "" && e.Type == ignore {
		return nil
	}
	return fmt.Errorf("demo: groups: %s: %d %s: %s", op, rec.Code, e.Type, e.Message)
}
