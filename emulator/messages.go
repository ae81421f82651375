package emulator

import (
	"context"
	"slices"
	"strings"

	"github.com/cognito-wasm/cognito-wasm/emulator/lambda"
)

// The words of the messages the outbox stands in for. A code's message is
// written by the pool's CustomMessage trigger when it has one; a text
// without the code's placeholder (and, for an invitation, the username's)
// could not carry them, so Cognito's own words go out instead: the pool's
// template where it has one (SmsAuthenticationMessage, the email MFA
// message, the verification and invitation templates of
// message_templates.go), else Cognito's default text.

// Cognito's default texts, as a pool created without templates has them.
const (
	defaultVerificationMessage   = "Your verification code is {####}. "
	defaultVerificationSubject   = "Your verification code"
	defaultAuthenticationMessage = "Your authentication code is {####}. "
	defaultAuthenticationSubject = "Your authentication code"
	defaultInviteMessage         = "Your username is {username} and temporary password is {####}. "
	defaultInviteSubject         = "Your temporary password"
	// usernameParameter is the username's placeholder in invitations.
	usernameParameter = "{username}"
)

// Trigger sources of the messages composed here besides the account
// codes' (SignUp, ResendCode, ForgotPassword, UpdateUserAttribute,
// VerifyUserAttribute).
const (
	messageAuthentication  = "Authentication"  // MFA and sign-in codes
	messageAdminCreateUser = "AdminCreateUser" // invitations
)

// message is one code's text, ready for the outbox.
type message struct {
	medium, destination, code string
	text, subject             string
}

// composeMessage writes the text of code sent to medium for source, asking
// the CustomMessage trigger first. caller names the client and user,
// attrs and clientMetadata are what the trigger is told.
func (e *Emulator) composeMessage(ctx context.Context, p *poolRecord, caller lambda.Caller, source, medium, code string,
	attrs, clientMetadata map[string]string) (text, subject string, err error) {
	invite := source == messageAdminCreateUser
	if arn := p.LambdaConfig.CustomMessage; arn != "" {
		req := lambda.CustomMessageRequest{UserAttributes: attrs, ClientMetadata: clientMetadata}
		if invite {
			req.UsernameParameter = usernameParameter
		}
		res, err := e.lambda.CustomMessage(ctx, arn, source, caller, req)
		if err != nil {
			return "", "", triggerError(err)
		}
		text, subject = res.EmailMessage, res.EmailSubject
		if medium == "SMS" {
			text, subject = res.SMSMessage, ""
		}
		if !strings.Contains(text, lambda.CodeParameter) || invite && !strings.Contains(text, usernameParameter) {
			text, subject = "", ""
		}
	}
	if text == "" {
		text, subject = poolMessage(p, source, medium)
	} else if subject == "" {
		_, subject = poolMessage(p, source, medium) // the trigger wrote no subject
	}
	if medium == "SMS" {
		subject = ""
	}
	text = strings.ReplaceAll(text, lambda.CodeParameter, code)
	if invite {
		text = strings.ReplaceAll(text, usernameParameter, caller.UserName)
	}
	return text, subject, nil
}

// poolMessage is the pool's own template for source, or Cognito's default.
func poolMessage(p *poolRecord, source, medium string) (text, subject string) {
	or := func(a, b string) string {
		if a != "" {
			return a
		}
		return b
	}
	m := p.Messages
	switch source {
	case messageAdminCreateUser:
		if medium == "SMS" {
			return or(m.InviteSMS, defaultInviteMessage), ""
		}
		return or(m.InviteEmail, defaultInviteMessage), or(m.InviteSubject, defaultInviteSubject)
	case messageAuthentication:
		text, subject = defaultAuthenticationMessage, defaultAuthenticationSubject
		if medium == "SMS" && p.Mfa.SmsAuthenticationMessage != "" {
			text = p.Mfa.SmsAuthenticationMessage
		}
		if medium == "EMAIL" && p.Mfa.EmailMessage != "" {
			text = p.Mfa.EmailMessage
		}
		if medium == "EMAIL" && p.Mfa.EmailSubject != "" {
			subject = p.Mfa.EmailSubject
		}
		return text, subject
	}
	if medium == "SMS" {
		return or(m.VerificationSMS, defaultVerificationMessage), ""
	}
	return or(m.VerificationEmail, defaultVerificationMessage), or(m.VerificationSubject, defaultVerificationSubject)
}

// sendAuthCode composes and sends a sign-in code (MFA, or a USER_AUTH
// first factor) for u: CustomMessage_Authentication.
func (e *Emulator) sendAuthCode(ctx context.Context, sc *signInContext, u *userRecord, medium, destination, code string) error {
	text, subject, err := e.composeMessage(ctx, sc.pool, triggerCaller(sc, u.Username), messageAuthentication, medium, code,
		triggerAttributes(u), sc.clientMetadata)
	if err != nil {
		return err
	}
	e.sendMessage(sc.pool, u.Username, message{medium: medium, destination: destination, code: code, text: text, subject: subject}, true)
	return nil
}

// sendInvitation sends AdminCreateUser's invitation, with the username and
// the temporary password, to each of mediums (SMS when none is named) for
// which the user has an address or number; one without either gets none.
// The outbox shows the temporary password as the message's code; the log
// does not.
func (e *Emulator) sendInvitation(ctx context.Context, p *poolRecord, u *userRecord, password string, mediums []string, clientMetadata map[string]string) error {
	if len(mediums) == 0 {
		mediums = []string{"SMS"}
	}
	for _, medium := range []string{"SMS", "EMAIL"} {
		if !slices.Contains(mediums, medium) {
			continue
		}
		dest := u.attr("phone_number")
		if medium == "EMAIL" {
			dest = u.attr("email")
		}
		if dest == "" {
			continue
		}
		text, subject, err := e.composeMessage(ctx, p, triggerCaller(adminCaller(p), u.Username), messageAdminCreateUser, medium, password,
			triggerAttributes(u), clientMetadata)
		if err != nil {
			return err
		}
		e.sendMessage(p, u.Username, message{medium: medium, destination: dest, code: password, text: text, subject: subject}, false)
	}
	return nil
}
