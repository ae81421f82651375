package demo

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/cognito-wasm/cognito-wasm/emulator"
)

// TestGroupsApply puts groups.json into an emulator seeded with seed.json,
// twice (as every `make demo` start does), and reads alice's groups back.
func TestGroupsApply(t *testing.T) {
	seed, err := emulator.LoadSeed("seed.json")
	if err != nil {
		t.Fatal(err)
	}
	em, err := emulator.New(emulator.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer em.Close()
	if err := em.Seed(seed); err != nil {
		t.Fatal(err)
	}
	groups, err := LoadGroups("groups.json")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := groups.Apply(em); err != nil {
			t.Fatalf("Apply (%d) = %v", i+1, err)
		}
	}
	for user, want := range map[string][]string{"alice": {"admins", "editors"}, "bob": {"editors"}} {
		raw, _ := json.Marshal(map[string]string{"UserPoolId": "us-east-1_cwDemo001", "Username": user})
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(raw))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminListGroupsForUser")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=t/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00")
		rec := httptest.NewRecorder()
		em.ServeHTTP(rec, req)
		var out struct{ Groups []struct{ GroupName string } }
		json.Unmarshal(rec.Body.Bytes(), &out)
		var got []string
		for _, g := range out.Groups {
			got = append(got, g.GroupName)
		}
		slices.Sort(got)
		if rec.Code != http.StatusOK || !slices.Equal(got, want) {
			t.Errorf("%s's groups = %d %v; want %v", user, rec.Code, got, want)
		}
	}

	// A group for a user the seed does not have is an error, not a silent skip.
	bad := Groups{}
	json.Unmarshal([]byte(`{"userPools":[{"id":"us-east-1_cwDemo001","groups":[{"name":"x","users":["nobody"]}]}]}`), &bad)
	if err := bad.Apply(em); err == nil {
		t.Error("Apply with an unknown user = nil; want an error")
	}
	if _, err := LoadGroups("seed.json"); err == nil {
		t.Error("LoadGroups(seed.json) = nil error; want unknown members refused")
	}
}
