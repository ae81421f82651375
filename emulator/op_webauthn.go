package emulator

import (
	"context"
	"errors"
	"slices"

	"github.com/go-json-experiment/json/jsontext"
)

// StartWebAuthnRegistration, CompleteWebAuthnRegistration,
// ListWebAuthnCredentials, DeleteWebAuthnCredential: a signed-in user's
// passkeys, by access token. The ceremony checks are in webauthn.go.

type startWebAuthnRegistrationRequest struct{ AccessToken string }

func (r startWebAuthnRegistrationRequest) validate() error {
	var v validation
	v.accessToken(r.AccessToken)
	return v.err()
}

type startWebAuthnRegistrationResponse struct {
	CredentialCreationOptions *creationOptions
}

// webAuthnReady refuses what Cognito refuses before a ceremony: passkeys
// not among the pool's first factors, or no RP ID.
func webAuthnReady(p *poolRecord) error {
	if !webAuthnEnabled(p) {
		return errWebAuthnNotEnabled()
	}
	if webAuthnRPID(p) == "" {
		return errWebAuthnConfigMissing()
	}
	return nil
}

func (e *Emulator) startWebAuthnRegistration(_ context.Context, req *startWebAuthnRegistrationRequest) (*startWebAuthnRegistrationResponse, error) {
	claims, _, err := e.verifyAccessToken(req.AccessToken)
	if err != nil {
		return nil, err
	}
	var out *startWebAuthnRegistrationResponse
	err = e.withAccessTokenUser(req.AccessToken, true, func(t *txn, p *poolRecord, u *userRecord) error {
		if err := webAuthnReady(p); err != nil {
			return err
		}
		if len(u.WebAuthn) >= maxWebAuthnCredentials {
			return errf("LimitExceededException", "The user has the most passkeys allowed (%d).", maxWebAuthnCredentials)
		}
		old := u.clone()
		challenge := newOpaque(32)
		u.WebAuthnPending = &webAuthnPending{Challenge: challenge, ClientID: claims.ClientID, Expires: e.now().Add(registrationTTL).UTC()}
		out = &startWebAuthnRegistrationResponse{CredentialCreationOptions: newCreationOptions(webAuthnRPID(p), p.WebAuthn.userVerification(), challenge, u)}
		return t.putUser(p, old, u)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type completeWebAuthnRegistrationRequest struct {
	AccessToken string
	Credential  jsontext.Value
}

func (r completeWebAuthnRegistrationRequest) validate() error {
	var v validation
	v.accessToken(r.AccessToken)
	v.required("credential", len(r.Credential) > 0 && string(r.Credential) != "null")
	if err := v.err(); err != nil {
		return err
	}
	if r.Credential.Kind() != '{' {
		return errInvalidParam("Credential must be a JSON object (the PublicKeyCredential's toJSON()).")
	}
	return nil
}

func (e *Emulator) completeWebAuthnRegistration(_ context.Context, req *completeWebAuthnRegistrationRequest) (*struct{}, error) {
	claims, _, err := e.verifyAccessToken(req.AccessToken)
	if err != nil {
		return nil, err
	}
	// A refused credential still uses up the challenge: the transaction
	// commits the consumption and the refusal is returned after it.
	var refused error
	err = e.withAccessTokenUser(req.AccessToken, true, func(t *txn, p *poolRecord, u *userRecord) error {
		if err := webAuthnReady(p); err != nil {
			return err
		}
		pending := u.WebAuthnPending
		if pending == nil || !e.now().Before(pending.Expires) {
			return errWebAuthn("WebAuthnChallengeNotFoundException", "No passkey registration is in progress, or it has expired: call StartWebAuthnRegistration.")
		}
		if pending.ClientID != claims.ClientID {
			return errWebAuthn("WebAuthnClientMismatchException", "The registration was started with another app client.")
		}
		old := u.clone()
		u.WebAuthnPending = nil
		cred, err := verifyRegistration(req.Credential, pending.Challenge, webAuthnRPID(p), p.WebAuthn.uvRequired(), e.now())
		if err != nil {
			refused = err
			return t.putUser(p, old, u)
		}
		if slices.ContainsFunc(u.WebAuthn, func(c webAuthnCredential) bool { return c.ID == cred.ID }) {
			refused = errInvalidParam("This passkey is already registered for the user.")
			return t.putUser(p, old, u)
		}
		u.WebAuthn = append(u.WebAuthn, *cred)
		err = t.putUser(p, old, u)
		var taken errIndexTaken
		if errors.As(err, &taken) {
			return errInvalidParam("This passkey is registered for another user.")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if refused != nil {
		return nil, refused
	}
	return &struct{}{}, nil
}

type listWebAuthnCredentialsRequest struct {
	AccessToken string
	MaxResults  *int
	NextToken   string
}

func (r listWebAuthnCredentialsRequest) validate() error {
	var v validation
	v.accessToken(r.AccessToken)
	if r.MaxResults != nil {
		v.rangeInt("maxResults", *r.MaxResults, 1, 20)
	}
	v.length("nextToken", r.NextToken, 1, 131072)
	return v.err()
}

type webAuthnCredentialDescription struct {
	CredentialId            string
	FriendlyCredentialName  string
	RelyingPartyId          string
	AuthenticatorAttachment string `json:",omitempty"`
	AuthenticatorTransports []string
	CreatedAt               epoch
}

type listWebAuthnCredentialsResponse struct {
	Credentials []webAuthnCredentialDescription
	NextToken   string `json:",omitempty"`
}

func (e *Emulator) listWebAuthnCredentials(_ context.Context, req *listWebAuthnCredentialsRequest) (*listWebAuthnCredentialsResponse, error) {
	limit := 20
	if req.MaxResults != nil {
		limit = *req.MaxResults
	}
	out := &listWebAuthnCredentialsResponse{Credentials: []webAuthnCredentialDescription{}}
	err := e.withAccessTokenUser(req.AccessToken, false, func(_ *txn, _ *poolRecord, u *userRecord) error {
		start := 0
		if req.NextToken != "" {
			i := slices.IndexFunc(u.WebAuthn, func(c webAuthnCredential) bool { return c.ID == req.NextToken })
			if i < 0 {
				return errInvalidParam("Invalid NextToken.")
			}
			start = i + 1
		}
		for i := start; i < len(u.WebAuthn); i++ {
			if len(out.Credentials) == limit {
				out.NextToken = u.WebAuthn[i-1].ID
				break
			}
			c := u.WebAuthn[i]
			transports := c.Transports
			if transports == nil {
				transports = []string{}
			}
			out.Credentials = append(out.Credentials, webAuthnCredentialDescription{CredentialId: c.ID,
				FriendlyCredentialName: c.FriendlyName, RelyingPartyId: c.RelyingPartyID,
				AuthenticatorAttachment: c.Attachment, AuthenticatorTransports: transports, CreatedAt: epoch(c.Created)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type deleteWebAuthnCredentialRequest struct {
	AccessToken  string
	CredentialId string
}

func (r deleteWebAuthnCredentialRequest) validate() error {
	var v validation
	v.accessToken(r.AccessToken)
	v.required("credentialId", r.CredentialId != "")
	v.length("credentialId", r.CredentialId, 1, 1024)
	return v.err()
}

func (e *Emulator) deleteWebAuthnCredential(_ context.Context, req *deleteWebAuthnCredentialRequest) (*struct{}, error) {
	err := e.withAccessTokenUser(req.AccessToken, true, func(t *txn, p *poolRecord, u *userRecord) error {
		i := slices.IndexFunc(u.WebAuthn, func(c webAuthnCredential) bool { return c.ID == req.CredentialId })
		if i < 0 {
			return errf("ResourceNotFoundException", "The passkey does not exist.")
		}
		old := u.clone()
		u.WebAuthn = slices.Delete(u.WebAuthn, i, i+1)
		return t.putUser(p, old, u)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
