package emulator

import (
	"context"
	"encoding/json"
	"fmt"
)

// CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient,
// ListUserPoolClients, DeleteUserPoolClient.

// userPoolClientType is an app client as Cognito shows it.
type userPoolClientType struct {
	UserPoolId                               string
	ClientName                               string
	ClientId                                 string
	ClientSecret                             string `json:",omitempty"`
	LastModifiedDate                         epoch
	CreationDate                             epoch
	RefreshTokenValidity                     int
	AccessTokenValidity                      int
	IdTokenValidity                          int
	TokenValidityUnits                       tokenValidityUnits
	ExplicitAuthFlows                        []string `json:",omitempty"`
	AllowedOAuthFlowsUserPoolClient          bool
	PreventUserExistenceErrors               string
	EnableTokenRevocation                    bool
	EnablePropagateAdditionalUserContextData bool
	AuthSessionValidity                      int
	RefreshTokenRotation                     *refreshTokenRotation `json:",omitempty"`
}

type userPoolClientResponse struct{ UserPoolClient userPoolClientType }

func clientView(c *clientRecord) userPoolClientType {
	return userPoolClientType{UserPoolId: c.PoolID, ClientName: c.Name, ClientId: c.ID, ClientSecret: c.Secret,
		LastModifiedDate: epoch(c.Modified), CreationDate: epoch(c.Created), RefreshTokenValidity: c.RefreshTokenValidity,
		AccessTokenValidity: c.AccessTokenValidity, IdTokenValidity: c.IDTokenValidity, TokenValidityUnits: c.Units,
		ExplicitAuthFlows: c.ExplicitAuthFlows, PreventUserExistenceErrors: c.PreventUserExistenceErrors,
		EnableTokenRevocation: c.EnableTokenRevocation, AuthSessionValidity: c.AuthSessionValidity,
		RefreshTokenRotation: c.RefreshTokenRotation}
}

func (e *Emulator) createUserPoolClient(_ context.Context, req *createClientRequest) (*userPoolClientResponse, error) {
	var c *clientRecord
	err := e.store.update(func(t *txn) (err error) {
		c, err = e.createClient(t, clientSpec{createClientRequest: *req})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &userPoolClientResponse{UserPoolClient: clientView(c)}, nil
}

type describeUserPoolClientRequest struct{ UserPoolId, ClientId string }

func (r describeUserPoolClientRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.clientID("clientId", r.ClientId)
	return v.err()
}

func (e *Emulator) describeUserPoolClient(_ context.Context, req *describeUserPoolClientRequest) (*userPoolClientResponse, error) {
	var out *userPoolClientResponse
	err := e.store.view(func(t *txn) error {
		c, err := mustPoolClient(t, req.UserPoolId, req.ClientId)
		if err != nil {
			return err
		}
		out = &userPoolClientResponse{UserPoolClient: clientView(c)}
		return nil
	})
	return out, err
}

// UpdateUserPoolClient replaces a client's settings as Cognito does: a
// member left out takes its default value again (not its current one), so
// callers send DescribeUserPoolClient's settings with their changes. The
// id, secret and creation date stay; ClientName stays when left out.
type updateUserPoolClientRequest struct {
	createClientRequest
	ClientId string
}

func (r updateUserPoolClientRequest) validate() error {
	named := r.createClientRequest
	if named.ClientName == "" {
		named.ClientName = "-" // optional here: validated only when given
	}
	if err := named.validate(); err != nil {
		return err
	}
	var v validation
	v.clientID("clientId", r.ClientId)
	return v.err()
}

func (e *Emulator) updateUserPoolClient(_ context.Context, req *updateUserPoolClientRequest) (*userPoolClientResponse, error) {
	var c *clientRecord
	err := e.store.update(func(t *txn) error {
		old, err := mustPoolClient(t, req.UserPoolId, req.ClientId)
		if err != nil {
			return err
		}
		spec := clientSpec{createClientRequest: req.createClientRequest, ID: old.ID, Secret: old.Secret}
		if spec.ClientName == "" {
			spec.ClientName = old.Name
		}
		if c, err = clientFromSpec(spec); err != nil {
			return err
		}
		c.Created, c.Modified = old.Created, e.now().UTC()
		return t.put(bucketClients, c.ID, c)
	})
	if err != nil {
		return nil, err
	}
	return &userPoolClientResponse{UserPoolClient: clientView(c)}, nil
}

// ListUserPoolClients lists a pool's app clients (id, name, pool), by
// client id, MaxResults (1-60, default 60) at a time.
type listUserPoolClientsRequest struct {
	UserPoolId string
	MaxResults *int
	NextToken  string
}

func (r listUserPoolClientsRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	if r.MaxResults != nil {
		v.rangeInt("maxResults", *r.MaxResults, 1, 60)
	}
	v.length("nextToken", r.NextToken, 1, 131072)
	return v.err()
}

type userPoolClientDescription struct {
	ClientId   string
	UserPoolId string
	ClientName string
}

type listUserPoolClientsResponse struct {
	UserPoolClients []userPoolClientDescription
	NextToken       string `json:",omitempty"`
}

func (e *Emulator) listUserPoolClients(_ context.Context, req *listUserPoolClientsRequest) (*listUserPoolClientsResponse, error) {
	after, err := decodePageToken(req.NextToken, "NextToken")
	if err != nil {
		return nil, err
	}
	limit := 60
	if req.MaxResults != nil {
		limit = *req.MaxResults
	}
	out := &listUserPoolClientsResponse{UserPoolClients: []userPoolClientDescription{}}
	err = e.store.view(func(t *txn) error {
		if _, err := mustPool(t, req.UserPoolId); err != nil {
			return err
		}
		return t.scan(bucketClients, "", func(k, v []byte) (bool, error) {
			if after != "" && string(k) <= after {
				return true, nil
			}
			var c clientRecord
			if err := json.Unmarshal(v, &c); err != nil {
				return false, fmt.Errorf("emulator: corrupt clients record: %w", err)
			}
			if c.PoolID != req.UserPoolId {
				return true, nil
			}
			if len(out.UserPoolClients) == limit {
				out.NextToken = encodePageToken(out.UserPoolClients[len(out.UserPoolClients)-1].ClientId)
				return false, nil
			}
			out.UserPoolClients = append(out.UserPoolClients, userPoolClientDescription{ClientId: c.ID, UserPoolId: c.PoolID, ClientName: c.Name})
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteUserPoolClient removes an app client: sign-ins and refreshes
// through it are refused from then on (its refresh tokens name it).
func (e *Emulator) deleteUserPoolClient(_ context.Context, req *describeUserPoolClientRequest) (*struct{}, error) {
	err := e.store.update(func(t *txn) error {
		c, err := mustPoolClient(t, req.UserPoolId, req.ClientId)
		if err != nil {
			return err
		}
		return t.del(bucketClients, c.ID)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
