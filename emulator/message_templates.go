package emulator

// A pool's own message words (CreateUserPool and UpdateUserPool's
// VerificationMessageTemplate, or the older EmailVerificationMessage,
// EmailVerificationSubject and SmsVerificationMessage, and
// AdminCreateUserConfig's InviteMessageTemplate), used by messages.go when
// no CustomMessage trigger writes the text; Cognito's defaults otherwise.
// AdminCreateUserConfig's AllowAdminCreateUserOnly refuses SignUp.

// messageTemplates is what a pool keeps of them; empty members are the
// defaults.
type messageTemplates struct {
	VerificationSMS     string `json:",omitempty"`
	VerificationEmail   string `json:",omitempty"`
	VerificationSubject string `json:",omitempty"`
	InviteSMS           string `json:",omitempty"`
	InviteEmail         string `json:",omitempty"`
	InviteSubject       string `json:",omitempty"`
}

type verificationMessageTemplateType struct {
	SmsMessage         string `json:",omitempty"`
	EmailMessage       string `json:",omitempty"`
	EmailSubject       string `json:",omitempty"`
	EmailMessageByLink string `json:",omitempty"`
	EmailSubjectByLink string `json:",omitempty"`
	DefaultEmailOption string `json:",omitempty"`
}

type messageTemplateType struct {
	SMSMessage   string `json:",omitempty"`
	EmailMessage string `json:",omitempty"`
	EmailSubject string `json:",omitempty"`
}

type adminCreateUserConfigType struct {
	AllowAdminCreateUserOnly  bool
	UnusedAccountValidityDays *int
	InviteMessageTemplate     *messageTemplateType
}

// messageSettings are the request members, shared by CreateUserPool and
// UpdateUserPool.
type messageSettings struct {
	VerificationMessageTemplate *verificationMessageTemplateType
	EmailVerificationMessage    string
	EmailVerificationSubject    string
	SmsVerificationMessage      string
	AdminCreateUserConfig       *adminCreateUserConfigType
}

func (r messageSettings) check(v *validation) {
	template := func(field, s string, max int) {
		v.length(field, s, 6, max)
		v.codePlaceholder(field, s)
	}
	template("smsVerificationMessage", r.SmsVerificationMessage, 140)
	template("emailVerificationMessage", r.EmailVerificationMessage, 20000)
	v.length("emailVerificationSubject", r.EmailVerificationSubject, 1, 140)
	if t := r.VerificationMessageTemplate; t != nil {
		template("verificationMessageTemplate.smsMessage", t.SmsMessage, 140)
		template("verificationMessageTemplate.emailMessage", t.EmailMessage, 20000)
		v.length("verificationMessageTemplate.emailSubject", t.EmailSubject, 1, 140)
		v.enum("verificationMessageTemplate.defaultEmailOption", t.DefaultEmailOption, "CONFIRM_WITH_LINK", "CONFIRM_WITH_CODE")
	}
	if c := r.AdminCreateUserConfig; c != nil {
		if c.UnusedAccountValidityDays != nil {
			v.rangeInt("adminCreateUserConfig.unusedAccountValidityDays", *c.UnusedAccountValidityDays, 0, 365)
		}
		if t := c.InviteMessageTemplate; t != nil {
			template("adminCreateUserConfig.inviteMessageTemplate.sMSMessage", t.SMSMessage, 140)
			template("adminCreateUserConfig.inviteMessageTemplate.emailMessage", t.EmailMessage, 20000)
			v.length("adminCreateUserConfig.inviteMessageTemplate.emailSubject", t.EmailSubject, 1, 140)
		}
	}
}

// templates is what the pool keeps: VerificationMessageTemplate's members
// first, then the older top-level ones.
func (r messageSettings) templates() (messageTemplates, bool) {
	or := func(a, b string) string {
		if a != "" {
			return a
		}
		return b
	}
	var m messageTemplates
	if t := r.VerificationMessageTemplate; t != nil {
		m.VerificationSMS, m.VerificationEmail, m.VerificationSubject = t.SmsMessage, t.EmailMessage, t.EmailSubject
	}
	m.VerificationSMS = or(m.VerificationSMS, r.SmsVerificationMessage)
	m.VerificationEmail = or(m.VerificationEmail, r.EmailVerificationMessage)
	m.VerificationSubject = or(m.VerificationSubject, r.EmailVerificationSubject)
	adminOnly := false
	if c := r.AdminCreateUserConfig; c != nil {
		adminOnly = c.AllowAdminCreateUserOnly
		if t := c.InviteMessageTemplate; t != nil {
			m.InviteSMS, m.InviteEmail, m.InviteSubject = t.SMSMessage, t.EmailMessage, t.EmailSubject
		}
	}
	return m, adminOnly
}

// viewTemplates fills DescribeUserPool's members from what the pool keeps.
func (v *userPoolType) viewTemplates(p *poolRecord) {
	m := p.Messages
	v.VerificationMessageTemplate = &verificationMessageTemplateType{DefaultEmailOption: "CONFIRM_WITH_CODE",
		SmsMessage: m.VerificationSMS, EmailMessage: m.VerificationEmail, EmailSubject: m.VerificationSubject}
	v.SmsVerificationMessage, v.EmailVerificationMessage, v.EmailVerificationSubject = m.VerificationSMS, m.VerificationEmail, m.VerificationSubject
	v.AdminCreateUserConfig.AllowAdminCreateUserOnly = p.AdminCreateUserOnly
	if m.InviteSMS != "" || m.InviteEmail != "" || m.InviteSubject != "" {
		v.AdminCreateUserConfig.InviteMessageTemplate = &messageTemplateType{SMSMessage: m.InviteSMS, EmailMessage: m.InviteEmail, EmailSubject: m.InviteSubject}
	}
}
