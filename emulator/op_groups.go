package emulator

import (
	"context"
	"encoding/json"
	"slices"
	"time"
)

// Groups: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
// AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser,
// ListUsersInGroup. A user's groups are kept on the user record and go
// into the id and access tokens as cognito:groups (tokens.go).

const maxGroupsResult = 60

// groupRecord is a group as stored.
type groupRecord struct {
	Name        string
	PoolID      string
	Description string `json:",omitempty"`
	RoleArn     string `json:",omitempty"`
	Precedence  *int   `json:",omitempty"`
	Created     time.Time
	Modified    time.Time
}

// groupType is a group as the API shows it.
type groupType struct {
	GroupName        string
	UserPoolId       string
	Description      string `json:",omitempty"`
	RoleArn          string `json:",omitempty"`
	Precedence       *int   `json:",omitempty"`
	LastModifiedDate epoch
	CreationDate     epoch
}

func (g *groupRecord) view() groupType {
	return groupType{GroupName: g.Name, UserPoolId: g.PoolID, Description: g.Description, RoleArn: g.RoleArn,
		Precedence: g.Precedence, LastModifiedDate: epoch(g.Modified), CreationDate: epoch(g.Created)}
}

func groupKey(poolID, name string) string { return poolID + "\x00" + name }

func (t *txn) group(poolID, name string) (*groupRecord, error) {
	var g groupRecord
	ok, err := t.get(bucketGroups, groupKey(poolID, name), &g)
	if err != nil || !ok {
		return nil, err
	}
	return &g, nil
}

func errGroupNotFound() error { return errf("ResourceNotFoundException", "Group not found.") }

// mustGroup reads a group of a pool that must exist.
func mustGroup(t *txn, poolID, name string) (*poolRecord, *groupRecord, error) {
	p, err := mustPool(t, poolID)
	if err != nil {
		return nil, nil, err
	}
	g, err := t.group(p.ID, name)
	if err != nil {
		return nil, nil, err
	}
	if g == nil {
		return nil, nil, errGroupNotFound()
	}
	return p, g, nil
}

func (v *validation) groupName(name string) {
	v.required("groupName", name != "")
	v.length("groupName", name, 1, 128)
	if name != "" && len(name) <= 4*128 && !usernamePattern.MatchString(name) {
		*v = append(*v, "Value at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+")
	}
}

type groupRequest struct {
	UserPoolId  string
	GroupName   string
	Description *string
	RoleArn     *string
	Precedence  *int
}

func (r groupRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.groupName(r.GroupName)
	if r.Description != nil {
		v.length("description", *r.Description, 0, 2048)
	}
	if r.RoleArn != nil {
		v.length("roleArn", *r.RoleArn, 20, 2048)
	}
	if r.Precedence != nil {
		v.rangeInt("precedence", *r.Precedence, 0, 1<<31-1)
	}
	return v.err()
}

type groupResponse struct{ Group groupType }

func (e *Emulator) createGroup(_ context.Context, req *groupRequest) (*groupResponse, error) {
	var out *groupResponse
	err := e.store.update(func(t *txn) error {
		p, err := mustPool(t, req.UserPoolId)
		if err != nil {
			return err
		}
		if g, err := t.group(p.ID, req.GroupName); err != nil {
			return err
		} else if g != nil {
			return errf("GroupExistsException", "A group with the name %s already exists.", req.GroupName)
		}
		now := e.now().UTC()
		g := &groupRecord{Name: req.GroupName, PoolID: p.ID, Precedence: req.Precedence, Created: now, Modified: now}
		if req.Description != nil {
			g.Description = *req.Description
		}
		if req.RoleArn != nil {
			g.RoleArn = *req.RoleArn
		}
		out = &groupResponse{Group: g.view()}
		return t.put(bucketGroups, groupKey(p.ID, g.Name), g)
	})
	return out, err
}

type groupNameRequest struct {
	UserPoolId string
	GroupName  string
}

func (r groupNameRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.groupName(r.GroupName)
	return v.err()
}

func (e *Emulator) getGroup(_ context.Context, req *groupNameRequest) (*groupResponse, error) {
	var out *groupResponse
	err := e.store.view(func(t *txn) error {
		_, g, err := mustGroup(t, req.UserPoolId, req.GroupName)
		if err == nil {
			out = &groupResponse{Group: g.view()}
		}
		return err
	})
	return out, err
}

// UpdateGroup changes the members given and keeps the others.
func (e *Emulator) updateGroup(_ context.Context, req *groupRequest) (*groupResponse, error) {
	var out *groupResponse
	err := e.store.update(func(t *txn) error {
		p, g, err := mustGroup(t, req.UserPoolId, req.GroupName)
		if err != nil {
			return err
		}
		if req.Description != nil {
			g.Description = *req.Description
		}
		if req.RoleArn != nil {
			g.RoleArn = *req.RoleArn
		}
		if req.Precedence != nil {
			g.Precedence = req.Precedence
		}
		g.Modified = e.now().UTC()
		out = &groupResponse{Group: g.view()}
		return t.put(bucketGroups, groupKey(p.ID, g.Name), g)
	})
	return out, err
}

// DeleteGroup removes the group and every user's membership of it.
func (e *Emulator) deleteGroup(_ context.Context, req *groupNameRequest) (*struct{}, error) {
	err := e.store.update(func(t *txn) error {
		p, g, err := mustGroup(t, req.UserPoolId, req.GroupName)
		if err != nil {
			return err
		}
		var members []*userRecord
		err = t.scan(bucketUsers, p.ID+"\x00", func(_, v []byte) (bool, error) {
			var u userRecord
			if err := json.Unmarshal(v, &u); err != nil {
				return false, err
			}
			if slices.Contains(u.Groups, g.Name) {
				members = append(members, &u)
			}
			return true, nil
		})
		if err != nil {
			return err
		}
		for _, u := range members {
			old := u.clone()
			u.Groups = slices.DeleteFunc(u.Groups, func(n string) bool { return n == g.Name })
			if err := t.putUser(p, old, u); err != nil {
				return err
			}
		}
		return t.del(bucketGroups, groupKey(p.ID, g.Name))
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

type pageRequest struct {
	Limit     *int
	NextToken string
}

func (r pageRequest) check(v *validation) {
	if r.Limit != nil {
		v.rangeInt("limit", *r.Limit, 0, maxGroupsResult)
	}
}

func (r pageRequest) limit() int {
	if r.Limit != nil && *r.Limit > 0 {
		return *r.Limit
	}
	return maxGroupsResult
}

type listGroupsRequest struct {
	UserPoolId string
	pageRequest
}

func (r listGroupsRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	r.check(&v)
	return v.err()
}

type groupsResponse struct {
	Groups    []groupType
	NextToken string `json:",omitempty"`
}

func (e *Emulator) listGroups(_ context.Context, req *listGroupsRequest) (*groupsResponse, error) {
	after, err := decodePageToken(req.NextToken, "NextToken")
	if err != nil {
		return nil, err
	}
	out := &groupsResponse{Groups: []groupType{}}
	err = e.store.view(func(t *txn) error {
		p, err := mustPool(t, req.UserPoolId)
		if err != nil {
			return err
		}
		prefix, last := p.ID+"\x00", ""
		return t.scan(bucketGroups, prefix, func(k, v []byte) (bool, error) {
			name := string(k[len(prefix):])
			if after != "" && name <= after {
				return true, nil
			}
			if len(out.Groups) == req.limit() {
				out.NextToken = encodePageToken(last)
				return false, nil
			}
			var g groupRecord
			if err := json.Unmarshal(v, &g); err != nil {
				return false, err
			}
			out.Groups = append(out.Groups, g.view())
			last = name
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type adminUserGroupRequest struct {
	adminUserRequest
	GroupName string
}

func (r adminUserGroupRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.username("username", r.Username)
	v.groupName(r.GroupName)
	return v.err()
}

// setMembership adds the user to the group or takes them out of it.
func (e *Emulator) setMembership(req *adminUserGroupRequest, member bool) (*struct{}, error) {
	err := e.withAdminUser(req.adminUserRequest, true, func(t *txn, p *poolRecord, u *userRecord) error {
		if g, err := t.group(p.ID, req.GroupName); err != nil {
			return err
		} else if g == nil {
			return errGroupNotFound()
		}
		old := u.clone()
		u.Groups = slices.DeleteFunc(u.Groups, func(n string) bool { return n == req.GroupName })
		if member {
			u.Groups = append(u.Groups, req.GroupName)
			slices.Sort(u.Groups)
		}
		return t.putUser(p, old, u)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (e *Emulator) adminAddUserToGroup(_ context.Context, req *adminUserGroupRequest) (*struct{}, error) {
	return e.setMembership(req, true)
}

func (e *Emulator) adminRemoveUserFromGroup(_ context.Context, req *adminUserGroupRequest) (*struct{}, error) {
	return e.setMembership(req, false)
}

type adminListGroupsForUserRequest struct {
	adminUserRequest
	pageRequest
}

func (r adminListGroupsForUserRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.username("username", r.Username)
	r.check(&v)
	return v.err()
}

func (e *Emulator) adminListGroupsForUser(_ context.Context, req *adminListGroupsForUserRequest) (*groupsResponse, error) {
	after, err := decodePageToken(req.NextToken, "NextToken")
	if err != nil {
		return nil, err
	}
	out := &groupsResponse{Groups: []groupType{}}
	err = e.withAdminUser(req.adminUserRequest, false, func(t *txn, p *poolRecord, u *userRecord) error {
		last := ""
		for _, name := range u.Groups { // sorted
			if after != "" && name <= after {
				continue
			}
			if len(out.Groups) == req.limit() {
				out.NextToken = encodePageToken(last)
				break
			}
			g, err := t.group(p.ID, name)
			if err != nil {
				return err
			}
			if g != nil {
				out.Groups = append(out.Groups, g.view())
				last = name
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type listUsersInGroupRequest struct {
	UserPoolId string
	GroupName  string
	pageRequest
}

func (r listUsersInGroupRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.groupName(r.GroupName)
	r.check(&v)
	return v.err()
}

type usersResponse struct {
	Users     []userType
	NextToken string `json:",omitempty"`
}

func (e *Emulator) listUsersInGroup(_ context.Context, req *listUsersInGroupRequest) (*usersResponse, error) {
	after, err := decodePageToken(req.NextToken, "NextToken")
	if err != nil {
		return nil, err
	}
	out := &usersResponse{Users: []userType{}}
	err = e.store.view(func(t *txn) error {
		p, g, err := mustGroup(t, req.UserPoolId, req.GroupName)
		if err != nil {
			return err
		}
		prefix, last := p.ID+"\x00", ""
		return t.scan(bucketUsers, prefix, func(k, v []byte) (bool, error) {
			key := string(k[len(prefix):])
			if after != "" && key <= after {
				return true, nil
			}
			var u userRecord
			if err := json.Unmarshal(v, &u); err != nil {
				return false, err
			}
			if !slices.Contains(u.Groups, g.Name) {
				return true, nil
			}
			if len(out.Users) == req.limit() {
				out.NextToken = encodePageToken(last)
				return false, nil
			}
			out.Users = append(out.Users, userView(&u, nil))
			last = key
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
