package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// Seed describes pools, clients and users to create at start, for demos and
// tests. Applying it is idempotent: what already exists is left as it is.
type Seed struct {
	UserPools []SeedPool `json:"userPools"`
}

// SeedPool is one pool of a Seed. ID is used as given.
type SeedPool struct {
	ID                 string       `json:"id"`
	Name               string       `json:"name"`
	AliasAttributes    []string     `json:"aliasAttributes,omitempty"`
	UsernameAttributes []string     `json:"usernameAttributes,omitempty"`
	CaseSensitive      *bool        `json:"caseSensitive,omitempty"`
	Clients            []SeedClient `json:"clients,omitempty"`
	Users              []SeedUser   `json:"users,omitempty"`
}

// SeedClient is one app client. A non-empty Secret gives it that fixed secret.
type SeedClient struct {
	ID                         string   `json:"id"`
	Name                       string   `json:"name"`
	Secret                     string   `json:"secret,omitempty"`
	ExplicitAuthFlows          []string `json:"explicitAuthFlows,omitempty"`
	PreventUserExistenceErrors string   `json:"preventUserExistenceErrors,omitempty"`
}

// SeedUser is one user, created CONFIRMED with a permanent password.
type SeedUser struct {
	Username   string            `json:"username"`
	Password   string            `json:"password"`
	Attributes map[string]string `json:"attributes,omitempty"`
}

// maxSeedBytes bounds a seed file; a demo seed is a few hundred bytes.
const maxSeedBytes = 4 << 20

// LoadSeed reads a seed file. Unknown fields are an error, so a typo in a
// demo seed is reported rather than silently ignored.
func LoadSeed(path string) (Seed, error) {
	f, err := os.Open(path)
	if err != nil {
		return Seed{}, fmt.Errorf("emulator: seed: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSeedBytes+1))
	if err != nil {
		return Seed{}, fmt.Errorf("emulator: seed %s: %w", path, err)
	}
	if len(b) > maxSeedBytes {
		return Seed{}, fmt.Errorf("emulator: seed %s is larger than %d bytes", path, maxSeedBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var s Seed
	if err := dec.Decode(&s); err != nil {
		return Seed{}, fmt.Errorf("emulator: seed %s: %w", path, err)
	}
	return s, nil
}

// Seed creates what s describes and does not yet exist, in one transaction:
// a seed that fails part-way changes nothing.
func (e *Emulator) Seed(s Seed) error {
	return e.store.update(func(t *txn) error {
		for i, sp := range s.UserPools {
			if sp.ID == "" {
				return fmt.Errorf("emulator: seed: userPools[%d]: id is required", i)
			}
			p, err := t.pool(sp.ID)
			if err != nil {
				return err
			}
			if p == nil {
				p, err = e.createPool(t, poolSpec{ID: sp.ID, Name: sp.Name, UsernameAttributes: sp.UsernameAttributes,
					AliasAttributes: sp.AliasAttributes, CaseSensitive: sp.CaseSensitive})
				if err != nil {
					return fmt.Errorf("emulator: seed: pool %s: %w", sp.ID, err)
				}
			}
			for j, sc := range sp.Clients {
				if sc.ID == "" {
					return fmt.Errorf("emulator: seed: pool %s: clients[%d]: id is required", sp.ID, j)
				}
				if c, err := t.client(sc.ID); err != nil {
					return err
				} else if c != nil {
					continue
				}
				spec := clientSpec{ID: sc.ID, Secret: sc.Secret, createClientRequest: createClientRequest{
					UserPoolId: sp.ID, ClientName: sc.Name, ExplicitAuthFlows: sc.ExplicitAuthFlows,
					PreventUserExistenceErrors: sc.PreventUserExistenceErrors}}
				if _, err := e.createClient(t, spec); err != nil {
					return fmt.Errorf("emulator: seed: client %s: %w", sc.ID, err)
				}
			}
			for j, su := range sp.Users {
				var v validation
				v.username("username", su.Username)
				if err := v.err(); err != nil {
					return fmt.Errorf("emulator: seed: pool %s: users[%d]: %w", sp.ID, j, err)
				}
				if u, err := t.resolveUser(p, su.Username); err != nil {
					return err
				} else if u != nil {
					continue
				}
				var attrs []attributeJSON
				for _, name := range sortedKeys(su.Attributes) {
					attrs = append(attrs, attributeJSON{Name: name, Value: su.Attributes[name]})
				}
				_, err := e.createUser(t, p, newUserSpec{Username: su.Username, Password: su.Password,
					Attributes: attrs, Status: statusConfirmed})
				if err != nil {
					return fmt.Errorf("emulator: seed: pool %s: user %q: %w", sp.ID, su.Username, err)
				}
			}
		}
		return nil
	})
}
