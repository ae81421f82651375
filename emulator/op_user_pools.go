package emulator

import (
	"context"
)

// CreateUserPool, DescribeUserPool, DeleteUserPool, ListUserPools.

type createUserPoolRequest struct {
	PoolName string
	Policies *struct {
		PasswordPolicy *passwordPolicyJSON
	}
	UsernameAttributes     []string
	AliasAttributes        []string
	AutoVerifiedAttributes []string
	UsernameConfiguration  *struct{ CaseSensitive *bool }
	MfaConfiguration       string
	LambdaConfig           *lambdaConfigType
}

func (r createUserPoolRequest) validate() error {
	var v validation
	v.required("poolName", r.PoolName != "")
	v.length("poolName", r.PoolName, 1, 128)
	v.enum("mfaConfiguration", r.MfaConfiguration, "OFF", "ON", "OPTIONAL")
	return v.err()
}

type userPoolResponse struct {
	UserPool userPoolType
}

func (e *Emulator) createUserPool(_ context.Context, req *createUserPoolRequest) (*userPoolResponse, error) {
	spec := poolSpec{Name: req.PoolName, UsernameAttributes: req.UsernameAttributes,
		AliasAttributes: req.AliasAttributes, AutoVerifiedAttributes: req.AutoVerifiedAttributes}
	if req.UsernameConfiguration != nil {
		spec.CaseSensitive = req.UsernameConfiguration.CaseSensitive
	}
	if req.LambdaConfig != nil {
		spec.LambdaConfig = *req.LambdaConfig
	}
	if req.Policies != nil && req.Policies.PasswordPolicy != nil {
		pol := req.Policies.PasswordPolicy.policy()
		spec.Policy = &pol
	}
	var p *poolRecord
	err := e.store.update(func(t *txn) (err error) {
		p, err = e.createPool(t, spec)
		return err
	})
	if err != nil {
		return nil, err
	}
	if req.MfaConfiguration != "" && req.MfaConfiguration != "OFF" {
		e.log.Warn("MFA is not emulated yet; pool created with MfaConfiguration OFF", "pool", p.ID)
	}
	return &userPoolResponse{UserPool: e.poolView(p, 0)}, nil
}

// userPoolIDRequest is a request whose only member is UserPoolId.
type userPoolIDRequest struct{ UserPoolId string }

func (r userPoolIDRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	return v.err()
}

func (e *Emulator) describeUserPool(_ context.Context, req *userPoolIDRequest) (*userPoolResponse, error) {
	var out *userPoolResponse
	err := e.store.view(func(t *txn) error {
		p, err := mustPool(t, req.UserPoolId)
		if err != nil {
			return err
		}
		n, err := t.countUsers(p.ID)
		out = &userPoolResponse{UserPool: e.poolView(p, n)}
		return err
	})
	return out, err
}

func (e *Emulator) deleteUserPool(_ context.Context, req *userPoolIDRequest) (*struct{}, error) {
	err := e.store.update(func(t *txn) error {
		if _, err := mustPool(t, req.UserPoolId); err != nil {
			return err
		}
		return t.deletePool(req.UserPoolId)
	})
	return &struct{}{}, err
}

type listUserPoolsRequest struct {
	MaxResults *int
	NextToken  string
}

func (r listUserPoolsRequest) validate() error {
	var v validation
	v.required("maxResults", r.MaxResults != nil)
	if r.MaxResults != nil {
		v.rangeInt("maxResults", *r.MaxResults, 1, 60)
	}
	v.length("nextToken", r.NextToken, 1, 131072)
	return v.err()
}

type userPoolSummary struct {
	Id               string
	Name             string
	LambdaConfig     lambdaConfigType
	LastModifiedDate epoch
	CreationDate     epoch
}

type listUserPoolsResponse struct {
	UserPools []userPoolSummary
	NextToken string `json:",omitempty"`
}

func (e *Emulator) listUserPools(_ context.Context, req *listUserPoolsRequest) (*listUserPoolsResponse, error) {
	after, err := decodePageToken(req.NextToken, "NextToken")
	if err != nil {
		return nil, err
	}
	out := &listUserPoolsResponse{UserPools: []userPoolSummary{}}
	err = e.store.view(func(t *txn) error {
		return t.scan(bucketPools, "", func(k, val []byte) (bool, error) {
			if after != "" && string(k) <= after {
				return true, nil
			}
			if len(out.UserPools) == *req.MaxResults {
				out.NextToken = encodePageToken(out.UserPools[len(out.UserPools)-1].Id)
				return false, nil
			}
			p, err := t.pool(string(k))
			if err != nil || p == nil {
				return false, err
			}
			out.UserPools = append(out.UserPools, userPoolSummary{Id: p.ID, Name: p.Name,
				LastModifiedDate: epoch(p.Modified), CreationDate: epoch(p.Created)})
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
