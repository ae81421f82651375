package account

import (
	"context"
	"sort"
	"strconv"
)

type accessTokenRequest struct {
	AccessToken string
}

// User is GetUser's answer.
type User struct {
	Username            string      `json:"Username"`
	UserAttributes      []Attribute `json:"UserAttributes"`
	PreferredMfaSetting string      `json:"PreferredMfaSetting"` // SMS_MFA | SOFTWARE_TOKEN_MFA | EMAIL_OTP, or ""
	UserMFASettingList  []string    `json:"UserMFASettingList"`  // the MFA types enabled
}

// Attributes returns the attributes as a map, as Amplify's
// fetchUserAttributes shows them.
func (u *User) Attributes() map[string]string {
	m := make(map[string]string, len(u.UserAttributes))
	for _, a := range u.UserAttributes {
		m[a.Name] = a.Value
	}
	return m
}

// GetUser reads the signed-in user: attributes and MFA settings.
func (c *Client) GetUser(ctx context.Context, accessToken string) (*User, error) {
	if err := checkAccessToken(accessToken); err != nil {
		return nil, err
	}
	var out User
	if err := c.call(ctx, "GetUser", accessTokenRequest{accessToken}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

type changePasswordRequest struct {
	AccessToken      string
	PreviousPassword string
	ProposedPassword string
}

// ChangePassword replaces the signed-in user's password.
func (c *Client) ChangePassword(ctx context.Context, accessToken, previous, proposed string) error {
	if err := checkAccessToken(accessToken); err != nil {
		return err
	}
	if err := checkPassword("PreviousPassword", previous); err != nil {
		return err
	}
	if err := checkPassword("ProposedPassword", proposed); err != nil {
		return err
	}
	return c.call(ctx, "ChangePassword", changePasswordRequest{accessToken, previous, proposed}, nil)
}

type updateUserAttributesRequest struct {
	AccessToken    string
	UserAttributes []Attribute
	ClientMetadata map[string]string `json:",omitempty"`
}

// UpdateUserAttributes changes attributes. A changed email or phone number
// of a pool that verifies it gets a code (one CodeDeliveryDetails each);
// with the pool's AttributesRequireVerificationBeforeUpdate the old value
// stays until the code comes back.
func (c *Client) UpdateUserAttributes(ctx context.Context, accessToken string, attrs map[string]string, meta map[string]string) ([]CodeDeliveryDetails, error) {
	if err := checkAccessToken(accessToken); err != nil {
		return nil, err
	}
	list, err := attributes("UserAttributes", attrs, true)
	if err != nil {
		return nil, err
	}
	if err := checkMap("ClientMetadata", meta); err != nil {
		return nil, err
	}
	var out struct{ CodeDeliveryDetailsList []CodeDeliveryDetails }
	if err := c.call(ctx, "UpdateUserAttributes", updateUserAttributesRequest{accessToken, list, meta}, &out); err != nil {
		return nil, err
	}
	return out.CodeDeliveryDetailsList, nil
}

type verifyUserAttributeRequest struct {
	AccessToken   string
	AttributeName string
	Code          string
}

// VerifyUserAttribute verifies an attribute with the code sent to it.
func (c *Client) VerifyUserAttribute(ctx context.Context, accessToken, name, code string) error {
	if err := checkAccessToken(accessToken); err != nil {
		return err
	}
	if err := checkAttrName("AttributeName", name); err != nil {
		return err
	}
	if err := checkCode("Code", code); err != nil {
		return err
	}
	return c.call(ctx, "VerifyUserAttribute", verifyUserAttributeRequest{accessToken, name, code}, nil)
}

type attributeCodeRequest struct {
	AccessToken    string
	AttributeName  string
	ClientMetadata map[string]string `json:",omitempty"`
}

// GetUserAttributeVerificationCode sends a code to verify an attribute with.
func (c *Client) GetUserAttributeVerificationCode(ctx context.Context, accessToken, name string, meta map[string]string) (*CodeDeliveryDetails, error) {
	if err := checkAccessToken(accessToken); err != nil {
		return nil, err
	}
	if err := checkAttrName("AttributeName", name); err != nil {
		return nil, err
	}
	if err := checkMap("ClientMetadata", meta); err != nil {
		return nil, err
	}
	var out codeDeliveryAnswer
	if err := c.call(ctx, "GetUserAttributeVerificationCode", attributeCodeRequest{accessToken, name, meta}, &out); err != nil {
		return nil, err
	}
	return orEmpty(out.CodeDeliveryDetails), nil
}

type deleteUserAttributesRequest struct {
	AccessToken        string
	UserAttributeNames []string
}

// DeleteUserAttributes removes attributes (not required ones).
func (c *Client) DeleteUserAttributes(ctx context.Context, accessToken string, names []string) error {
	if err := checkAccessToken(accessToken); err != nil {
		return err
	}
	if len(names) == 0 {
		return paramErr("UserAttributeNames", "is required")
	}
	if len(names) > maxAttrCount {
		return paramErr("UserAttributeNames", "has "+strconv.Itoa(len(names))+" names, more than the "+strconv.Itoa(maxAttrCount)+" allowed")
	}
	for i, n := range names {
		if err := checkAttrName("UserAttributeNames["+strconv.Itoa(i)+"]", n); err != nil {
			return err
		}
	}
	names = append([]string(nil), names...)
	sort.Strings(names)
	return c.call(ctx, "DeleteUserAttributes", deleteUserAttributesRequest{accessToken, names}, nil)
}

// DeleteUser deletes the signed-in user; its tokens stop working.
func (c *Client) DeleteUser(ctx context.Context, accessToken string) error {
	if err := checkAccessToken(accessToken); err != nil {
		return err
	}
	return c.call(ctx, "DeleteUser", accessTokenRequest{accessToken}, nil)
}
