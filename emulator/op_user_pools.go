package emulator

import (
	"context"
	"slices"
)

// CreateUserPool, DescribeUserPool, DeleteUserPool, ListUserPools.

type createUserPoolRequest struct {
	PoolName string
	Policies *struct {
		PasswordPolicy *passwordPolicyJSON
		SignInPolicy   *signInPolicy
	}
	UsernameAttributes          []string
	AliasAttributes             []string
	AutoVerifiedAttributes      []string
	UsernameConfiguration       *struct{ CaseSensitive *bool }
	MfaConfiguration            string
	SmsConfiguration            *smsConfigurationType
	SmsAuthenticationMessage    string
	Schema                      []schemaAttribute
	LambdaConfig                *lambdaConfigType
	UserAttributeUpdateSettings *userAttributeUpdateSettings
	DeviceConfiguration         *deviceConfiguration
	UserPoolAddOns              *userPoolAddOns
	messageSettings
}

func (r createUserPoolRequest) validate() error {
	var v validation
	r.UserPoolAddOns.check(&v)
	r.messageSettings.check(&v)
	v.required("poolName", r.PoolName != "")
	v.length("poolName", r.PoolName, 1, 128)
	v.enum("mfaConfiguration", r.MfaConfiguration, "OFF", "ON", "OPTIONAL")
	v.length("smsAuthenticationMessage", r.SmsAuthenticationMessage, 6, 140)
	v.codePlaceholder("smsAuthenticationMessage", r.SmsAuthenticationMessage)
	if r.SmsConfiguration != nil {
		v.required("smsConfiguration.snsCallerArn", r.SmsConfiguration.SnsCallerArn != "")
		v.length("smsConfiguration.snsCallerArn", r.SmsConfiguration.SnsCallerArn, 20, 2048)
	}
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
	if req.Policies != nil {
		spec.SignInPolicy = req.Policies.SignInPolicy
	}
	spec.Schema = req.Schema
	spec.Devices = req.DeviceConfiguration
	spec.AdvancedSecurityMode = req.UserPoolAddOns.mode()
	spec.Messages, spec.AdminCreateUserOnly = req.templates()
	if req.UserAttributeUpdateSettings != nil {
		spec.RequireVerificationBeforeUpdate = req.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate
	}
	// CreateUserPool can only turn on SMS MFA, and Cognito wants SMS set up
	// for it (the ARN is kept, not used: codes go to the outbox). TOTP and
	// email MFA come with SetUserPoolMfaConfig.
	spec.MfaConfiguration = req.MfaConfiguration
	if req.MfaConfiguration == "ON" || req.MfaConfiguration == "OPTIONAL" {
		if req.SmsConfiguration == nil || !slices.Contains(req.AutoVerifiedAttributes, "phone_number") {
			return nil, errInvalidParam("SMS configuration and Auto verification for phone_number are required when MFA is required/optional")
		}
		spec.Mfa = poolMFA{SMS: true, SmsConfiguration: req.SmsConfiguration, SmsAuthenticationMessage: req.SmsAuthenticationMessage}
	}
	var p *poolRecord
	err := e.store.update(func(t *txn) (err error) {
		p, err = e.createPool(t, spec)
		return err
	})
	if err != nil {
		return nil, err
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
	if err == nil {
		e.keys.forget(req.UserPoolId)
	}
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
			out.UserPools = append(out.UserPools, userPoolSummary{Id: p.ID, Name: p.Name, LambdaConfig: p.LambdaConfig,
				LastModifiedDate: epoch(p.Modified), CreationDate: epoch(p.Created)})
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
