package account

import (
	"context"

	"github.com/cognito-wasm/cognito-wasm/signin"
)

// SignUpInput registers a user. Password may be empty where the pool
// allows passwordless sign-up.
type SignUpInput struct {
	Username       string
	Password       string
	UserAttributes map[string]string
	ValidationData map[string]string
	ClientMetadata map[string]string
}

// SignUpOutput is Cognito's answer. Session, when the server returns one,
// starts a USER_AUTH sign-in without the password once confirmed.
type SignUpOutput struct {
	UserConfirmed       bool                 `json:"UserConfirmed"`
	UserSub             string               `json:"UserSub"`
	CodeDeliveryDetails *CodeDeliveryDetails `json:"CodeDeliveryDetails"`
	Session             string               `json:"Session"`
}

type signUpRequest struct {
	ClientId       string
	SecretHash     string `json:",omitempty"`
	Username       string
	Password       string            `json:",omitempty"`
	UserAttributes []Attribute       `json:",omitempty"`
	ValidationData []Attribute       `json:",omitempty"`
	ClientMetadata map[string]string `json:",omitempty"`
}

// SignUp registers a user; a code goes to the pool's auto-verified
// attribute unless the user is confirmed at once.
func (c *Client) SignUp(ctx context.Context, in SignUpInput) (*SignUpOutput, error) {
	if err := checkUsername(in.Username); err != nil {
		return nil, err
	}
	if err := checkString("Password", in.Password, signin.MaxPasswordLen, false); err != nil {
		return nil, err
	}
	attrs, err := attributes("UserAttributes", in.UserAttributes, false)
	if err != nil {
		return nil, err
	}
	validation, err := attributes("ValidationData", in.ValidationData, false)
	if err != nil {
		return nil, err
	}
	if err := checkMap("ClientMetadata", in.ClientMetadata); err != nil {
		return nil, err
	}
	var out SignUpOutput
	err = c.call(ctx, "SignUp", signUpRequest{ClientId: c.cfg.ClientID, SecretHash: c.secretHash(in.Username),
		Username: in.Username, Password: in.Password, UserAttributes: attrs, ValidationData: validation,
		ClientMetadata: in.ClientMetadata}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ConfirmSignUpInput confirms a registration with the code sent.
type ConfirmSignUpInput struct {
	Username           string
	ConfirmationCode   string
	ForceAliasCreation bool
	ClientMetadata     map[string]string
	Session            string // SignUp's, when it returned one
}

type confirmSignUpRequest struct {
	ClientId           string
	SecretHash         string `json:",omitempty"`
	Username           string
	ConfirmationCode   string
	ForceAliasCreation bool              `json:",omitempty"`
	ClientMetadata     map[string]string `json:",omitempty"`
	Session            string            `json:",omitempty"`
}

// ConfirmSignUp confirms the user; the Session returned, if any, starts a
// USER_AUTH sign-in without the password.
func (c *Client) ConfirmSignUp(ctx context.Context, in ConfirmSignUpInput) (session string, err error) {
	if err := checkUsername(in.Username); err != nil {
		return "", err
	}
	if err := checkCode("ConfirmationCode", in.ConfirmationCode); err != nil {
		return "", err
	}
	if err := checkMap("ClientMetadata", in.ClientMetadata); err != nil {
		return "", err
	}
	if err := checkString("Session", in.Session, signin.MaxSessionLen, false); err != nil {
		return "", err
	}
	var out struct{ Session string }
	err = c.call(ctx, "ConfirmSignUp", confirmSignUpRequest{ClientId: c.cfg.ClientID, SecretHash: c.secretHash(in.Username),
		Username: in.Username, ConfirmationCode: in.ConfirmationCode, ForceAliasCreation: in.ForceAliasCreation,
		ClientMetadata: in.ClientMetadata, Session: in.Session}, &out)
	return out.Session, err
}

// clientUserRequest is the body of the operations that name only a user.
type clientUserRequest struct {
	ClientId       string
	SecretHash     string `json:",omitempty"`
	Username       string
	ClientMetadata map[string]string `json:",omitempty"`
}

type codeDeliveryAnswer struct {
	CodeDeliveryDetails *CodeDeliveryDetails
}

// codeToUser sends op (ResendConfirmationCode, ForgotPassword) for username.
func (c *Client) codeToUser(ctx context.Context, op, username string, meta map[string]string) (*CodeDeliveryDetails, error) {
	if err := checkUsername(username); err != nil {
		return nil, err
	}
	if err := checkMap("ClientMetadata", meta); err != nil {
		return nil, err
	}
	var out codeDeliveryAnswer
	err := c.call(ctx, op, clientUserRequest{ClientId: c.cfg.ClientID, SecretHash: c.secretHash(username),
		Username: username, ClientMetadata: meta}, &out)
	if err != nil {
		return nil, err
	}
	return orEmpty(out.CodeDeliveryDetails), nil
}

// ResendConfirmationCode sends the sign-up code again.
func (c *Client) ResendConfirmationCode(ctx context.Context, username string, meta map[string]string) (*CodeDeliveryDetails, error) {
	return c.codeToUser(ctx, "ResendConfirmationCode", username, meta)
}

// ForgotPassword sends a code to reset the password with.
func (c *Client) ForgotPassword(ctx context.Context, username string, meta map[string]string) (*CodeDeliveryDetails, error) {
	return c.codeToUser(ctx, "ForgotPassword", username, meta)
}

// ConfirmForgotPasswordInput sets a new password with ForgotPassword's code.
type ConfirmForgotPasswordInput struct {
	Username         string
	ConfirmationCode string
	Password         string
	ClientMetadata   map[string]string
}

type confirmForgotPasswordRequest struct {
	ClientId         string
	SecretHash       string `json:",omitempty"`
	Username         string
	ConfirmationCode string
	Password         string
	ClientMetadata   map[string]string `json:",omitempty"`
}

// ConfirmForgotPassword sets the new password.
func (c *Client) ConfirmForgotPassword(ctx context.Context, in ConfirmForgotPasswordInput) error {
	if err := checkUsername(in.Username); err != nil {
		return err
	}
	if err := checkCode("ConfirmationCode", in.ConfirmationCode); err != nil {
		return err
	}
	if err := checkPassword("Password", in.Password); err != nil {
		return err
	}
	if err := checkMap("ClientMetadata", in.ClientMetadata); err != nil {
		return err
	}
	return c.call(ctx, "ConfirmForgotPassword", confirmForgotPasswordRequest{ClientId: c.cfg.ClientID,
		SecretHash: c.secretHash(in.Username), Username: in.Username, ConfirmationCode: in.ConfirmationCode,
		Password: in.Password, ClientMetadata: in.ClientMetadata}, nil)
}

// orEmpty never returns nil, so callers can read the fields.
func orEmpty(d *CodeDeliveryDetails) *CodeDeliveryDetails {
	if d == nil {
		return &CodeDeliveryDetails{}
	}
	return d
}
