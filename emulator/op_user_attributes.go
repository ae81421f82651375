package emulator

import (
	"context"
	"errors"
	"slices"
	"strconv"
)

// UpdateUserAttributes, VerifyUserAttribute, GetUserAttributeVerificationCode,
// DeleteUserAttributes, DeleteUser (by access token), AdminUpdateUserAttributes,
// AdminDeleteUserAttributes.
//
// A new email address or phone number is unverified until its code comes
// back, and a code is sent when the pool auto-verifies the attribute. In a
// pool whose UserAttributeUpdateSettings require verification before
// update, a new value for a verified attribute waits (userRecord.Pending)
// and the verified one stays, for sign-in too, until the code comes back.

// verifiable are the attributes that take verification codes.
var verifiable = []string{"email", "phone_number"}

// updateAttributes applies attrs to u and returns the codes to send. Only
// an administrator may set email_verified and phone_number_verified, as an
// app client may not write them.
func (e *Emulator) updateAttributes(p *poolRecord, u *userRecord, attrs []attributeJSON, admin bool) ([]*delivery, error) {
	for _, a := range attrs {
		if a.Value == "" && slices.Contains(p.requiredAttributes(), a.Name) {
			return nil, errInvalidParam("Attributes did not conform to the schema: %s: The attribute is required", a.Name)
		}
	}
	if err := p.validateAttributes(attrs); err != nil {
		return nil, err
	}
	given := map[string]string{}
	for _, a := range attrs {
		given[a.Name] = a.Value
		if !admin && (a.Name == "email_verified" || a.Name == "phone_number_verified") {
			return nil, errNotAuthorized("A client attempted to write unauthorized attribute")
		}
	}
	var out []*delivery
	for _, a := range attrs {
		if !slices.Contains(verifiable, a.Name) {
			if a.Name != "email_verified" && a.Name != "phone_number_verified" {
				u.setAttr(a.Name, a.Value)
			}
			continue
		}
		verifiedFlag := a.Name + "_verified"
		if given[verifiedFlag] == "true" { // an administrator vouches for it
			u.setAttr(a.Name, a.Value)
			delete(u.Pending, a.Name)
			delete(u.Codes, codeVerify+a.Name)
			continue
		}
		if a.Value == u.attr(a.Name) && u.Pending[a.Name] == "" {
			continue // unchanged: nothing to verify again
		}
		keep := slices.Contains(p.RequireVerificationBeforeUpdate, a.Name) && u.attr(verifiedFlag) == "true"
		if keep {
			if u.Pending == nil {
				u.Pending = map[string]string{}
			}
			u.Pending[a.Name] = a.Value
		} else {
			delete(u.Pending, a.Name)
			u.setAttr(a.Name, a.Value)
			u.setAttr(verifiedFlag, "false")
		}
		if keep || slices.Contains(p.AutoVerifiedAttributes, a.Name) {
			out = append(out, e.issueCodeTo(u, codeVerify+a.Name, a.Name, a.Value, verifyCodeTTL))
		}
	}
	for _, flag := range []string{"email_verified", "phone_number_verified"} {
		if v, ok := given[flag]; ok {
			u.setAttr(flag, v)
		}
	}
	if missing := missingRequired(p, u); len(missing) > 0 {
		return nil, errInvalidParam("Attributes did not conform to the schema: %s: The attribute is required", missing[0])
	}
	u.Modified = e.now().UTC()
	return out, nil
}

// putUserAttributes stores u after an attribute change: a value another
// user has as a verified alias is AliasExistsException.
func putUserAttributes(t *txn, p *poolRecord, old, u *userRecord) error {
	err := t.putUser(p, old, u)
	var taken errIndexTaken
	if errors.As(err, &taken) {
		return errf("AliasExistsException", "An account with the given %s already exists.", taken.attr)
	}
	return err
}

type updateUserAttributesRequest struct {
	UserAttributes []attributeJSON
	AccessToken    string
	ClientMetadata map[string]string
}

func (r updateUserAttributesRequest) validate() error {
	var v validation
	v.required("userAttributes", r.UserAttributes != nil)
	v.accessToken(r.AccessToken)
	return v.err()
}

type updateUserAttributesResponse struct {
	CodeDeliveryDetailsList []codeDeliveryDetails
}

func (e *Emulator) updateUserAttributes(ctx context.Context, req *updateUserAttributesRequest) (*updateUserAttributesResponse, error) {
	if err := checkParams("ClientMetadata", req.ClientMetadata); err != nil {
		return nil, err
	}
	var ds []*delivery
	var pool *poolRecord
	err := e.withAccessTokenUser(req.AccessToken, true, func(t *txn, p *poolRecord, u *userRecord) error {
		pool = p
		old := u.clone()
		var err error
		if ds, err = e.updateAttributes(p, u, req.UserAttributes, false); err != nil {
			return err
		}
		return putUserAttributes(t, p, old, u)
	})
	if err != nil {
		return nil, err
	}
	list, err := e.deliverAll(ctx, pool, "UpdateUserAttribute", ds)
	if err != nil {
		return nil, err
	}
	return &updateUserAttributesResponse{CodeDeliveryDetailsList: list}, nil
}

type adminUpdateUserAttributesRequest struct {
	adminUserRequest
	UserAttributes []attributeJSON
	ClientMetadata map[string]string
}

func (r adminUpdateUserAttributesRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.username("username", r.Username)
	v.required("userAttributes", r.UserAttributes != nil)
	return v.err()
}

func (e *Emulator) adminUpdateUserAttributes(ctx context.Context, req *adminUpdateUserAttributesRequest) (*struct{}, error) {
	if err := checkParams("ClientMetadata", req.ClientMetadata); err != nil {
		return nil, err
	}
	var ds []*delivery
	var pool *poolRecord
	err := e.withAdminUser(req.adminUserRequest, true, func(t *txn, p *poolRecord, u *userRecord) error {
		pool = p
		old := u.clone()
		var err error
		if ds, err = e.updateAttributes(p, u, req.UserAttributes, true); err != nil {
			return err
		}
		return putUserAttributes(t, p, old, u)
	})
	if err != nil {
		return nil, err
	}
	if _, err := e.deliverAll(ctx, pool, "UpdateUserAttribute", ds); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (v *validation) attributeName(field, name string) {
	v.required(field, name != "")
	v.length(field, name, 1, maxAttrNameLen)
	if name != "" && len(name) <= 4*maxAttrNameLen && !attrNamePattern.MatchString(name) {
		*v = append(*v, "Value at '"+field+"' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+")
	}
}

type verifyUserAttributeRequest struct {
	AccessToken   string
	AttributeName string
	Code          string
}

func (r verifyUserAttributeRequest) validate() error {
	var v validation
	v.accessToken(r.AccessToken)
	v.attributeName("attributeName", r.AttributeName)
	v.code("code", r.Code)
	return v.err()
}

// VerifyUserAttribute marks the value the code was sent to verified (a
// waiting new value replaces the old one then).
func (e *Emulator) verifyUserAttribute(_ context.Context, req *verifyUserAttributeRequest) (*struct{}, error) {
	var callerErr error
	err := e.withAccessTokenUser(req.AccessToken, true, func(t *txn, p *poolRecord, u *userRecord) error {
		if !slices.Contains(verifiable, req.AttributeName) {
			return errInvalidParam("Invalid attribute name: %s", truncateRunes(req.AttributeName, maxAttrNameLen))
		}
		old := u.clone()
		pc, cerr := e.useCode(p, u, codeVerify+req.AttributeName, req.Code)
		if cerr != nil {
			callerErr = cerr
			return t.putUser(p, old, u)
		}
		switch {
		case u.Pending[req.AttributeName] == pc.Value:
			delete(u.Pending, req.AttributeName)
			u.setAttr(req.AttributeName, pc.Value)
		case u.attr(req.AttributeName) != pc.Value:
			// Sent to a value the user no longer has.
			callerErr = errExpiredCode()
			return t.putUser(p, old, u)
		}
		u.setAttr(req.AttributeName+"_verified", "true")
		u.Modified = e.now().UTC()
		return putUserAttributes(t, p, old, u)
	})
	if err != nil {
		return nil, err
	}
	if callerErr != nil {
		return nil, callerErr
	}
	return &struct{}{}, nil
}

type getUserAttributeVerificationCodeRequest struct {
	AccessToken    string
	AttributeName  string
	ClientMetadata map[string]string
}

func (r getUserAttributeVerificationCodeRequest) validate() error {
	var v validation
	v.accessToken(r.AccessToken)
	v.attributeName("attributeName", r.AttributeName)
	return v.err()
}

// GetUserAttributeVerificationCode sends a code to the attribute's value,
// or to its new value while that waits for verification.
func (e *Emulator) getUserAttributeVerificationCode(ctx context.Context, req *getUserAttributeVerificationCodeRequest) (*codeDeliveryResponse, error) {
	if err := checkParams("ClientMetadata", req.ClientMetadata); err != nil {
		return nil, err
	}
	var d *delivery
	var pool *poolRecord
	err := e.withAccessTokenUser(req.AccessToken, true, func(t *txn, p *poolRecord, u *userRecord) error {
		pool = p
		if !slices.Contains(verifiable, req.AttributeName) {
			return errInvalidParam("Invalid attribute name: %s", truncateRunes(req.AttributeName, maxAttrNameLen))
		}
		value := u.Pending[req.AttributeName]
		if value == "" {
			value = u.attr(req.AttributeName)
		}
		if value == "" {
			return errInvalidParam("The user has no %s to verify.", req.AttributeName)
		}
		old := u.clone()
		d = e.issueCodeTo(u, codeVerify+req.AttributeName, req.AttributeName, value, verifyCodeTTL)
		return t.putUser(p, old, u)
	})
	if err != nil {
		return nil, err
	}
	return e.answerCodeDelivery(ctx, pool, adminClientID, "VerifyUserAttribute", nil, d)
}

// deleteAttributes removes names from u (with their verification state and
// codes); sub, required attributes and a username attribute stay.
func deleteAttributes(p *poolRecord, u *userRecord, names []string) error {
	if len(names) > maxAttributes {
		return errInvalidParam("1 validation error detected: Value at 'userAttributeNames' failed to satisfy constraint: Member must have length less than or equal to %d", maxAttributes)
	}
	for i, name := range names {
		var v validation
		v.attributeName("userAttributeNames."+strconv.Itoa(i+1)+".member", name)
		if err := v.err(); err != nil {
			return err
		}
		switch {
		case name == "sub":
			return errInvalidParam("Cannot modify the non-mutable attribute sub")
		case slices.Contains(p.requiredAttributes(), name) || p.isUsernameAttribute(name):
			return errInvalidParam("Attributes did not conform to the schema: %s: The attribute is required", name)
		}
	}
	for _, name := range names {
		drop := []string{name}
		if slices.Contains(verifiable, name) {
			drop = append(drop, name+"_verified")
			delete(u.Pending, name)
			delete(u.Codes, codeVerify+name)
		}
		u.Attributes = slices.DeleteFunc(u.Attributes, func(a attribute) bool { return slices.Contains(drop, a.Name) })
	}
	return nil
}

// removeAttributes deletes the named attributes from the user and stores
// it, inside DeleteUserAttributes' or AdminDeleteUserAttributes'
// transaction (as saveMFAPreferences serves both MFA-preference operations).
func (e *Emulator) removeAttributes(names []string) func(t *txn, p *poolRecord, u *userRecord) error {
	return func(t *txn, p *poolRecord, u *userRecord) error {
		old := u.clone()
		if err := deleteAttributes(p, u, names); err != nil {
			return err
		}
		u.Modified = e.now().UTC()
		return t.putUser(p, old, u)
	}
}

type deleteUserAttributesRequest struct {
	UserAttributeNames []string
	AccessToken        string
}

func (r deleteUserAttributesRequest) validate() error {
	var v validation
	v.required("userAttributeNames", r.UserAttributeNames != nil)
	v.accessToken(r.AccessToken)
	return v.err()
}

func (e *Emulator) deleteUserAttributes(_ context.Context, req *deleteUserAttributesRequest) (*struct{}, error) {
	if err := e.withAccessTokenUser(req.AccessToken, true, e.removeAttributes(req.UserAttributeNames)); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

type adminDeleteUserAttributesRequest struct {
	adminUserRequest
	UserAttributeNames []string
}

func (r adminDeleteUserAttributesRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.username("username", r.Username)
	v.required("userAttributeNames", r.UserAttributeNames != nil)
	return v.err()
}

func (e *Emulator) adminDeleteUserAttributes(_ context.Context, req *adminDeleteUserAttributesRequest) (*struct{}, error) {
	if err := e.withAdminUser(req.adminUserRequest, true, e.removeAttributes(req.UserAttributeNames)); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

type deleteUserRequest struct{ AccessToken string }

func (r deleteUserRequest) validate() error {
	var v validation
	v.accessToken(r.AccessToken)
	return v.err()
}

// DeleteUser deletes the access token's user; their tokens are refused
// from then on (the user is gone, and a new user of the same name has
// another sub).
func (e *Emulator) deleteUser(_ context.Context, req *deleteUserRequest) (*struct{}, error) {
	err := e.withAccessTokenUser(req.AccessToken, true, func(t *txn, p *poolRecord, u *userRecord) error {
		return t.deleteUser(p, u)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
