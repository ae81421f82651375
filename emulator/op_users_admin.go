package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
)

// poolByID reads a pool that must exist, outside any other transaction.
func (e *Emulator) poolByID(id string) (*poolRecord, error) {
	var p *poolRecord
	err := e.store.view(func(t *txn) (err error) {
		p, err = mustPool(t, id)
		return err
	})
	return p, err
}

// AdminCreateUser, AdminGetUser, AdminDeleteUser, AdminSetUserPassword, ListUsers.

// userType is a user as AdminCreateUser and ListUsers show it.
type userType struct {
	Username             string
	Attributes           []attributeJSON
	UserCreateDate       epoch
	UserLastModifiedDate epoch
	Enabled              bool
	UserStatus           string
}

func userView(u *userRecord, only []string) userType {
	return userType{Username: u.Username, Attributes: attributesView(u, only), UserCreateDate: epoch(u.Created),
		UserLastModifiedDate: epoch(u.Modified), Enabled: u.Enabled, UserStatus: u.Status}
}

type adminCreateUserRequest struct {
	UserPoolId             string
	Username               string
	UserAttributes         []attributeJSON
	TemporaryPassword      string
	MessageAction          string
	DesiredDeliveryMediums []string
	ForceAliasCreation     bool
	ValidationData         []attributeJSON
	ClientMetadata         map[string]string
}

func (r adminCreateUserRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.username("username", r.Username)
	v.password("temporaryPassword", r.TemporaryPassword, false)
	v.enum("messageAction", r.MessageAction, "RESEND", "SUPPRESS")
	for i, m := range r.DesiredDeliveryMediums {
		v.enum("desiredDeliveryMediums."+strconv.Itoa(i+1)+".member", m, "SMS", "EMAIL")
	}
	return v.err()
}

type adminCreateUserResponse struct{ User userType }

func (e *Emulator) adminCreateUser(ctx context.Context, req *adminCreateUserRequest) (*adminCreateUserResponse, error) {
	if req.MessageAction == "RESEND" {
		return nil, errf("UnsupportedOperationException", "Resending the invitation is not supported by this emulator.")
	}
	if len(req.ValidationData) > maxAttributes {
		return nil, errInvalidParam("1 validation error detected: Value at 'validationData' failed to satisfy constraint: Member must have length less than or equal to %d", maxAttributes)
	}
	if err := errors.Join(checkParams("ClientMetadata", req.ClientMetadata), validateAttributes(req.UserAttributes)); err != nil {
		return nil, err
	}
	// PreSignUp_AdminCreateUser: the trigger may verify the email address or
	// phone number; the user stays FORCE_CHANGE_PASSWORD whatever it says.
	pool, err := e.poolByID(req.UserPoolId)
	if err != nil {
		return nil, err
	}
	if err := pool.checkCustomAttributes(req.UserAttributes); err != nil {
		return nil, err // before the trigger, as SignUp
	}
	decided, err := e.preSignUp(ctx, adminCaller(pool), "AdminCreateUser", req.Username, req.UserAttributes,
		req.ValidationData, req.ClientMetadata)
	if err != nil {
		return nil, err
	}
	pw := req.TemporaryPassword
	if pw == "" {
		pw = temporaryPassword() // the invitation carries it
	}
	var u *userRecord
	err = e.store.update(func(t *txn) error {
		p, err := mustPool(t, req.UserPoolId)
		if err != nil {
			return err
		}
		u, err = e.createUser(t, p, newUserSpec{Username: req.Username, Password: pw,
			Attributes: req.UserAttributes, Status: statusForceChangePassword})
		if err != nil || !decided.AutoVerifyEmail && !decided.AutoVerifyPhone {
			return err
		}
		old := u.clone()
		autoVerify(u, decided)
		return e.putUserClaimingAliases(t, p, old, u, req.ForceAliasCreation)
	})
	if err != nil {
		return nil, err
	}
	if req.MessageAction != "SUPPRESS" {
		if err := e.sendInvitation(ctx, pool, u, pw, req.DesiredDeliveryMediums, req.ClientMetadata); err != nil {
			return nil, err
		}
	}
	return &adminCreateUserResponse{User: userView(u, nil)}, nil
}

// adminUserRequest is UserPoolId and Username, which every Admin*User
// operation names its user by.
type adminUserRequest struct {
	UserPoolId string
	Username   string
}

func (r adminUserRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.username("username", r.Username)
	return v.err()
}

// withAdminUser finds the user an Admin operation names (by username, alias
// or sub, as Cognito resolves them) inside one transaction.
func (e *Emulator) withAdminUser(req adminUserRequest, write bool, fn func(t *txn, p *poolRecord, u *userRecord) error) error {
	run := e.store.view
	if write {
		run = e.store.update
	}
	return run(func(t *txn) error {
		p, err := mustPool(t, req.UserPoolId)
		if err != nil {
			return err
		}
		u, err := t.resolveUser(p, req.Username)
		if err != nil {
			return err
		}
		if u == nil {
			return errUserNotFound()
		}
		return fn(t, p, u)
	})
}

type adminGetUserResponse struct {
	Username             string
	UserAttributes       []attributeJSON
	UserCreateDate       epoch
	UserLastModifiedDate epoch
	Enabled              bool
	UserStatus           string
	PreferredMfaSetting  string   `json:",omitempty"`
	UserMFASettingList   []string `json:",omitempty"`
}

func (e *Emulator) adminGetUser(_ context.Context, req *adminUserRequest) (*adminGetUserResponse, error) {
	var out *adminGetUserResponse
	err := e.withAdminUser(*req, false, func(_ *txn, p *poolRecord, u *userRecord) error {
		out = &adminGetUserResponse{Username: u.Username, UserAttributes: attributesView(u, nil),
			UserCreateDate: epoch(u.Created), UserLastModifiedDate: epoch(u.Modified), Enabled: u.Enabled,
			UserStatus: u.Status}
		out.PreferredMfaSetting, out.UserMFASettingList = mfaSettings(u)
		return nil
	})
	return out, err
}

func (e *Emulator) adminDeleteUser(_ context.Context, req *adminUserRequest) (*struct{}, error) {
	err := e.withAdminUser(*req, true, func(t *txn, p *poolRecord, u *userRecord) error {
		return t.deleteUser(p, u)
	})
	return &struct{}{}, err
}

type adminSetUserPasswordRequest struct {
	adminUserRequest
	Password  string
	Permanent bool
}

func (r adminSetUserPasswordRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.username("username", r.Username)
	v.password("password", r.Password, true)
	return v.err()
}

func (e *Emulator) adminSetUserPassword(_ context.Context, req *adminSetUserPasswordRequest) (*struct{}, error) {
	var username string
	err := e.withAdminUser(req.adminUserRequest, true, func(t *txn, p *poolRecord, u *userRecord) error {
		if err := checkPassword(p, req.Password); err != nil {
			return err
		}
		old := *u
		if err := setVerifier(p, u, req.Password); err != nil {
			return err
		}
		u.Status = statusForceChangePassword
		if req.Permanent {
			u.Status = statusConfirmed
		}
		u.Modified = e.now().UTC()
		username = u.Username
		return t.putUser(p, &old, u)
	})
	if err != nil {
		return nil, err
	}
	e.lockout.succeed(lockKey(req.UserPoolId, username))
	e.lockout.succeed(codeLockKey(req.UserPoolId, username))
	e.lockout.succeed(accountCodeLockKey(req.UserPoolId, username))
	return &struct{}{}, nil
}

type listUsersRequest struct {
	UserPoolId      string
	AttributesToGet []string
	Filter          string
	Limit           *int
	PaginationToken string
}

func (r listUsersRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.length("filter", r.Filter, 0, 256)
	if r.Limit != nil {
		v.rangeInt("limit", *r.Limit, 0, maxListUsersResult)
	}
	if len(r.AttributesToGet) > maxAttributes {
		v = append(v, "Value at 'attributesToGet' failed to satisfy constraint: Member must have length less than or equal to 50")
	}
	return v.err()
}

type listUsersResponse struct {
	Users           []userType
	PaginationToken string `json:",omitempty"`
}

func (e *Emulator) listUsers(_ context.Context, req *listUsersRequest) (*listUsersResponse, error) {
	limit := maxListUsersResult
	if req.Limit != nil && *req.Limit > 0 {
		limit = *req.Limit
	}
	filter, err := parseFilter(req.Filter)
	if err != nil {
		return nil, err
	}
	after, err := decodePageToken(req.PaginationToken, "PaginationToken")
	if err != nil {
		return nil, err
	}
	out := &listUsersResponse{Users: []userType{}}
	err = e.store.view(func(t *txn) error {
		if _, err := mustPool(t, req.UserPoolId); err != nil {
			return err
		}
		prefix := req.UserPoolId + "\x00"
		last := ""
		return t.scan(bucketUsers, prefix, func(k, val []byte) (bool, error) {
			key := string(k[len(prefix):])
			if after != "" && key <= after {
				return true, nil
			}
			var u userRecord
			if err := json.Unmarshal(val, &u); err != nil {
				return false, err
			}
			if filter != nil && !filter.match(&u) {
				return true, nil
			}
			if len(out.Users) == limit {
				out.PaginationToken = encodePageToken(last)
				return false, nil
			}
			out.Users = append(out.Users, userView(&u, req.AttributesToGet))
			last = key
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
