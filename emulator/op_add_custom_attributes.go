package emulator

import (
	"context"
	"slices"
	"strings"
)

// AddCustomAttributes adds custom attributes to a pool's schema, as
// CreateUserPool's Schema does; an attribute cannot be added twice.

type addCustomAttributesRequest struct {
	UserPoolId       string
	CustomAttributes []schemaAttribute
}

func (r addCustomAttributesRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.required("customAttributes", r.CustomAttributes != nil)
	if r.CustomAttributes != nil && (len(r.CustomAttributes) < 1 || len(r.CustomAttributes) > 25) {
		v = append(v, "Value at 'customAttributes' failed to satisfy constraint: Member must have length less than or equal to 25 and greater than or equal to 1")
	}
	return v.err()
}

func (e *Emulator) addCustomAttributes(_ context.Context, req *addCustomAttributesRequest) (*struct{}, error) {
	for _, a := range req.CustomAttributes {
		if name := strings.TrimPrefix(a.Name, "custom:"); slices.Contains(standardAttributes, name) || name == "sub" {
			return nil, errInvalidParam("Existing attribute already has name %s.", name)
		}
	}
	added, err := checkSchema(req.CustomAttributes)
	if err != nil {
		return nil, err
	}
	err = e.store.update(func(t *txn) error {
		p, err := mustPool(t, req.UserPoolId)
		if err != nil {
			return err
		}
		for _, a := range added {
			if slices.ContainsFunc(p.Schema, func(s schemaAttribute) bool { return s.Name == a.Name }) {
				return errInvalidParam("Existing attribute already has name %s.", a.Name)
			}
		}
		if len(p.Schema)+len(added) > maxSchemaAttributes {
			return errf("LimitExceededException", "A user pool can have at most %d custom attributes.", maxSchemaAttributes)
		}
		p.Schema = append(p.Schema, added...)
		p.Modified = e.now().UTC()
		return t.put(bucketPools, p.ID, p)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
