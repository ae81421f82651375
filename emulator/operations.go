package emulator

import (
	"context"
)

// validator is a typed request that checks its own members, as Cognito's
// model does before any lookup: constraint failures come back together as
// one InvalidParameterException ("2 validation errors detected: ...").
type validator interface{ validate() error }

// operation is one awsJson1.1 action. admin operations need a SigV4
// Authorization header (AWS answers MissingAuthenticationTokenException
// without one); the others are anonymous, as sign-in is with Cognito.
type operation struct {
	admin bool
	run   func(e *Emulator, ctx context.Context, body []byte) (any, error)
}

// handle adapts a typed handler: it decodes the body into Req with member
// names matched exactly (decodeStrict), runs Req's validate, then fn. Every
// operation goes through here, so decoding and validation have one path.
func handle[Req validator, Resp any](fn func(*Emulator, context.Context, *Req) (*Resp, error)) func(*Emulator, context.Context, []byte) (any, error) {
	return func(e *Emulator, ctx context.Context, body []byte) (any, error) {
		var req Req
		if err := decodeStrict(body, &req); err != nil {
			return nil, err
		}
		if err := req.validate(); err != nil {
			return nil, err
		}
		out, err := fn(e, ctx, &req)
		if err != nil {
			return nil, err
		}
		return out, nil
	}
}

// operations is the table of every action the emulator answers, by the
// name after "AWSCognitoIdentityProviderService." in X-Amz-Target. To add
// one: a file op_<name>.go with its request type (and validate), its
// response type and its handler, and one line here.
func operations() map[string]operation {
	return map[string]operation{
		"CreateUserPool":                   {admin: true, run: handle((*Emulator).createUserPool)},
		"DescribeUserPool":                 {admin: true, run: handle((*Emulator).describeUserPool)},
		"UpdateUserPool":                   {admin: true, run: handle((*Emulator).updateUserPool)},
		"AddCustomAttributes":              {admin: true, run: handle((*Emulator).addCustomAttributes)},
		"ListUserPools":                    {admin: true, run: handle((*Emulator).listUserPools)},
		"DeleteUserPool":                   {admin: true, run: handle((*Emulator).deleteUserPool)},
		"CreateUserPoolClient":             {admin: true, run: handle((*Emulator).createUserPoolClient)},
		"DescribeUserPoolClient":           {admin: true, run: handle((*Emulator).describeUserPoolClient)},
		"UpdateUserPoolClient":             {admin: true, run: handle((*Emulator).updateUserPoolClient)},
		"ListUserPoolClients":              {admin: true, run: handle((*Emulator).listUserPoolClients)},
		"DeleteUserPoolClient":             {admin: true, run: handle((*Emulator).deleteUserPoolClient)},
		"AdminCreateUser":                  {admin: true, run: handle((*Emulator).adminCreateUser)},
		"AdminSetUserPassword":             {admin: true, run: handle((*Emulator).adminSetUserPassword)},
		"AdminGetUser":                     {admin: true, run: handle((*Emulator).adminGetUser)},
		"AdminDeleteUser":                  {admin: true, run: handle((*Emulator).adminDeleteUser)},
		"ListUsers":                        {admin: true, run: handle((*Emulator).listUsers)},
		"GetUser":                          {run: handle((*Emulator).getUser)},
		"SignUp":                           {run: handle((*Emulator).signUp)},
		"ConfirmSignUp":                    {run: handle((*Emulator).confirmSignUp)},
		"ResendConfirmationCode":           {run: handle((*Emulator).resendConfirmationCode)},
		"AdminConfirmSignUp":               {admin: true, run: handle((*Emulator).adminConfirmSignUp)},
		"ForgotPassword":                   {run: handle((*Emulator).forgotPassword)},
		"ConfirmForgotPassword":            {run: handle((*Emulator).confirmForgotPassword)},
		"ChangePassword":                   {run: handle((*Emulator).changePassword)},
		"AdminResetUserPassword":           {admin: true, run: handle((*Emulator).adminResetUserPassword)},
		"AdminDisableUser":                 {admin: true, run: handle((*Emulator).adminDisableUser)},
		"AdminListUserAuthEvents":          {admin: true, run: handle((*Emulator).adminListUserAuthEvents)},
		"AdminEnableUser":                  {admin: true, run: handle((*Emulator).adminEnableUser)},
		"UpdateUserAttributes":             {run: handle((*Emulator).updateUserAttributes)},
		"VerifyUserAttribute":              {run: handle((*Emulator).verifyUserAttribute)},
		"GetUserAttributeVerificationCode": {run: handle((*Emulator).getUserAttributeVerificationCode)},
		"DeleteUserAttributes":             {run: handle((*Emulator).deleteUserAttributes)},
		"DeleteUser":                       {run: handle((*Emulator).deleteUser)},
		"AdminUpdateUserAttributes":        {admin: true, run: handle((*Emulator).adminUpdateUserAttributes)},
		"AdminDeleteUserAttributes":        {admin: true, run: handle((*Emulator).adminDeleteUserAttributes)},
		"CreateGroup":                      {admin: true, run: handle((*Emulator).createGroup)},
		"GetGroup":                         {admin: true, run: handle((*Emulator).getGroup)},
		"ListGroups":                       {admin: true, run: handle((*Emulator).listGroups)},
		"UpdateGroup":                      {admin: true, run: handle((*Emulator).updateGroup)},
		"DeleteGroup":                      {admin: true, run: handle((*Emulator).deleteGroup)},
		"AdminAddUserToGroup":              {admin: true, run: handle((*Emulator).adminAddUserToGroup)},
		"AdminRemoveUserFromGroup":         {admin: true, run: handle((*Emulator).adminRemoveUserFromGroup)},
		"AdminListGroupsForUser":           {admin: true, run: handle((*Emulator).adminListGroupsForUser)},
		"ListUsersInGroup":                 {admin: true, run: handle((*Emulator).listUsersInGroup)},
		"SetUserPoolMfaConfig":             {admin: true, run: handle((*Emulator).setUserPoolMfaConfig)},
		"GetUserPoolMfaConfig":             {admin: true, run: handle((*Emulator).getUserPoolMfaConfig)},
		"AdminSetUserMFAPreference":        {admin: true, run: handle((*Emulator).adminSetUserMFAPreference)},
		"SetUserMFAPreference":             {run: handle((*Emulator).setUserMFAPreference)},
		"AssociateSoftwareToken":           {run: handle((*Emulator).associateSoftwareToken)},
		"VerifySoftwareToken":              {run: handle((*Emulator).verifySoftwareToken)},
		"InitiateAuth":                     {run: handle((*Emulator).initiateAuth)},
		"RespondToAuthChallenge":           {run: handle((*Emulator).respondToAuthChallenge)},
		"AdminInitiateAuth":                {admin: true, run: handle((*Emulator).adminInitiateAuth)},
		"AdminRespondToAuthChallenge":      {admin: true, run: handle((*Emulator).adminRespondToAuthChallenge)},
		"GetTokensFromRefreshToken":        {run: handle((*Emulator).getTokensFromRefreshToken)},
		"RevokeToken":                      {run: handle((*Emulator).revokeToken)},
		"GlobalSignOut":                    {run: handle((*Emulator).globalSignOut)},
		"AdminUserGlobalSignOut":           {admin: true, run: handle((*Emulator).adminUserGlobalSignOut)},
		"ConfirmDevice":                    {run: handle((*Emulator).confirmDevice)},
		"UpdateDeviceStatus":               {run: handle((*Emulator).updateDeviceStatus)},
		"GetDevice":                        {run: handle((*Emulator).getDevice)},
		"ListDevices":                      {run: handle((*Emulator).listDevices)},
		"ForgetDevice":                     {run: handle((*Emulator).forgetDevice)},
		"AdminGetDevice":                   {admin: true, run: handle((*Emulator).adminGetDevice)},
		"AdminListDevices":                 {admin: true, run: handle((*Emulator).adminListDevices)},
		"AdminUpdateDeviceStatus":          {admin: true, run: handle((*Emulator).adminUpdateDeviceStatus)},
		"AdminForgetDevice":                {admin: true, run: handle((*Emulator).adminForgetDevice)},
		"StartWebAuthnRegistration":        {run: handle((*Emulator).startWebAuthnRegistration)},
		"CompleteWebAuthnRegistration":     {run: handle((*Emulator).completeWebAuthnRegistration)},
		"ListWebAuthnCredentials":          {run: handle((*Emulator).listWebAuthnCredentials)},
		"DeleteWebAuthnCredential":         {run: handle((*Emulator).deleteWebAuthnCredential)},
	}
}
