package emulator

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"regexp"
	"slices"
	"time"
)

// codePattern is Cognito's constraint on a ConfirmationCode.
var codePattern = regexp.MustCompile(`^[\S]+$`)

// The codes of the account operations: sign-up confirmation, password
// reset and attribute verification. Each is six digits from crypto/rand,
// kept on the user record by purpose until used, expired or guessed wrong
// too often, sent through the outbox, and compared in constant time. The
// store keeps only a keyed hash of each code (codeMAC), so a copy of the
// data folder does not hand out codes still waiting to be used.

// Code purposes, the keys of userRecord.Codes.
const (
	codeSignUp = "signup"
	codeForgot = "forgot"
	// codeVerify + attribute name: an attribute's verification code.
	codeVerify = "verify:"
)

// How long codes stay valid, as Cognito documents them: confirmation and
// verification codes for 24 hours, password-reset codes for one hour.
const (
	signUpCodeTTL = 24 * time.Hour
	forgotCodeTTL = time.Hour
	verifyCodeTTL = 24 * time.Hour
	// maxCodeAttempts wrong answers use up a code: a new one must be sent.
	maxCodeAttempts = 5
)

// pendingCode is one code sent and not yet used.
type pendingCode struct {
	// MAC is codeMAC of the code: the code itself is never stored.
	MAC []byte `json:",omitempty"`
	// Code is the code in plain text as versions before MAC stored it;
	// useCode moves such a code to MAC before checking it.
	Code     string `json:",omitempty"`
	Expires  time.Time
	Attr     string // the attribute it was sent to: email or phone_number
	Value    string // that attribute's value when sent (what it verifies)
	Attempts int    `json:",omitempty"` // wrong answers so far
}

// codeDeliveryDetails is CodeDeliveryDetails as Cognito returns it.
type codeDeliveryDetails struct {
	Destination    string
	DeliveryMedium string
	AttributeName  string
}

// delivery is a code to send once the transaction that issued it commits.
type delivery struct {
	username, attr, destination, code string
	attrs                             map[string]string // the user's, for CustomMessage
}

func errCodeMismatchAccount() error {
	return errf("CodeMismatchException", "Invalid verification code provided, please try again.")
}

func errExpiredCode() error {
	return errf("ExpiredCodeException", "Invalid code provided, please request a code again.")
}

func errCodeAttemptsExceeded() error {
	return errf("LimitExceededException", "Attempt limit exceeded, please try after some time.")
}

// issueCode draws a new code for purpose, sent to u's attr (replacing any
// code sent before for the same purpose), and returns what to deliver.
func (e *Emulator) issueCode(u *userRecord, purpose, attr string, ttl time.Duration) *delivery {
	return e.issueCodeTo(u, purpose, attr, u.attr(attr), ttl)
}

// issueCodeTo is issueCode for a value the attribute does not hold yet (a
// change waiting for verification).
func (e *Emulator) issueCodeTo(u *userRecord, purpose, attr, value string, ttl time.Duration) *delivery {
	code := newCode()
	if u.Codes == nil {
		u.Codes = map[string]pendingCode{}
	}
	u.Codes[purpose] = pendingCode{MAC: e.codes.mac(purpose, u.Username, code), Expires: e.now().Add(ttl), Attr: attr, Value: value}
	return &delivery{username: u.Username, attr: attr, destination: value, code: code, attrs: triggerAttributes(u)}
}

// accountCodeLockKey counts wrong account codes apart from wrong sign-in
// codes and passwords: guessing at a confirmation or reset code slows the
// guessing down ("Attempt limit exceeded") but does not lock the user out
// of signing in.
func accountCodeLockKey(poolID, username string) string {
	return lockKey(poolID, username) + "\x00account codes"
}

// useCode checks got against u's code for purpose, changing u: a right code
// is removed, a wrong one counted, and after maxCodeAttempts wrong answers
// the code is dropped. Wrong codes also count towards the user's account
// code lockout, which refuses every account code check while it lasts.
// The caller stores u whatever the result, so that the counts hold.
func (e *Emulator) useCode(p *poolRecord, u *userRecord, purpose, got string) (pendingCode, error) {
	lk := accountCodeLockKey(p.ID, u.Username)
	if e.lockout.locked(lk, e.now()) {
		return pendingCode{}, errCodeAttemptsExceeded()
	}
	pc, ok := u.Codes[purpose]
	if !ok {
		return pendingCode{}, errExpiredCode()
	}
	if pc.Code != "" { // stored in plain text by an older version
		pc.MAC, pc.Code = e.codes.mac(purpose, u.Username, pc.Code), ""
	}
	if !e.codes.matches(pc.MAC, purpose, u.Username, got) {
		e.lockout.fail(lk, e.now())
		pc.Attempts++
		if pc.Attempts >= maxCodeAttempts {
			delete(u.Codes, purpose)
		} else {
			u.Codes[purpose] = pc
		}
		return pendingCode{}, errCodeMismatchAccount()
	}
	delete(u.Codes, purpose)
	if !e.now().Before(pc.Expires) {
		return pendingCode{}, errExpiredCode()
	}
	e.lockout.succeed(lk)
	return pc, nil
}

// deliver sends a code through the outbox, in the words composeMessage
// gives for source, and returns
// CodeDeliveryDetails. clientID is the app client the request came
// through (CLIENT_ID_NOT_APPLICABLE for the Admin operations).
func (e *Emulator) deliver(ctx context.Context, p *poolRecord, clientID, source string, d *delivery) (*codeDeliveryDetails, error) {
	if d == nil {
		return nil, nil
	}
	medium, masked := "EMAIL", maskEmail(d.destination)
	if d.attr == "phone_number" {
		medium, masked = "SMS", maskPhone(d.destination)
	}
	caller := triggerCaller(&signInContext{pool: p, client: &clientRecord{ID: clientID}}, d.username)
	text, subject, err := e.composeMessage(ctx, p, caller, source, medium, d.code, d.attrs, nil)
	if err != nil {
		return nil, err
	}
	e.sendMessage(p, d.username, message{medium: medium, destination: d.destination, code: d.code, text: text, subject: subject}, true)
	return &codeDeliveryDetails{Destination: masked, DeliveryMedium: medium, AttributeName: d.attr}, nil
}

// answerCodeDelivery is the answer of an operation that sends one code:
// simulated (details for a user who does not exist, when the client hides
// that) when set, else d delivered.
func (e *Emulator) answerCodeDelivery(ctx context.Context, p *poolRecord, clientID, source string, simulated *codeDeliveryDetails, d *delivery) (*codeDeliveryResponse, error) {
	if simulated != nil {
		return &codeDeliveryResponse{CodeDeliveryDetails: simulated}, nil
	}
	cdd, err := e.deliver(ctx, p, clientID, source, d)
	if err != nil {
		return nil, err
	}
	return &codeDeliveryResponse{CodeDeliveryDetails: cdd}, nil
}

// deliverAll delivers the codes of an attribute update (ds, none nil), in
// order, and returns their details (an empty list for none).
func (e *Emulator) deliverAll(ctx context.Context, p *poolRecord, source string, ds []*delivery) ([]codeDeliveryDetails, error) {
	list := []codeDeliveryDetails{}
	for _, d := range ds {
		cdd, err := e.deliver(ctx, p, adminClientID, source, d)
		if err != nil {
			return nil, err
		}
		list = append(list, *cdd)
	}
	return list, nil
}

// autoVerifyAttr is where sign-up sends its code: the phone number when the
// pool auto-verifies it and the user has one (Cognito prefers SMS when both
// are auto-verified), else the email address; "" when neither applies.
func autoVerifyAttr(p *poolRecord, u *userRecord) string {
	for _, attr := range []string{"phone_number", "email"} {
		if slices.Contains(p.AutoVerifiedAttributes, attr) && u.attr(attr) != "" {
			return attr
		}
	}
	return ""
}

// verifiedContact is where a password-reset code goes: a verified phone
// number, else a verified email address, "" when the user has neither.
func verifiedContact(u *userRecord) string {
	for _, attr := range []string{"phone_number", "email"} {
		if u.attr(attr) != "" && u.attr(attr+"_verified") == "true" {
			return attr
		}
	}
	return ""
}

// simulatedDelivery answers for an unknown user when the client hides which
// users exist (PreventUserExistenceErrors): a masked address derived from
// the pool's secret and the name, the same on every call.
func simulatedDelivery(p *poolRecord, typed string) *codeDeliveryDetails {
	if validEmail(typed) {
		return &codeDeliveryDetails{Destination: maskEmail(typed), DeliveryMedium: "EMAIL", AttributeName: "email"}
	}
	mac := hmac.New(sha256.New, p.Secret)
	mac.Write([]byte("delivery\x00" + typed))
	sum := mac.Sum(nil)
	const letters = "abcdefghijklmnopqrstuvwxyz"
	dest := string(letters[sum[0]%26]) + "***@" + string(letters[sum[1]%26]) + "***"
	return &codeDeliveryDetails{Destination: dest, DeliveryMedium: "EMAIL", AttributeName: "email"}
}
