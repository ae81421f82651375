package emulator

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// The outbox stands in for SMS and email: every code the emulator "sends"
// is printed on its log and kept in memory, readable at
// GET /_dev/outbox?userPoolId=<id>&username=<name or alias>.

// maxOutbox bounds the messages kept; the oldest go first.
const maxOutbox = 10000

// outboxMessage is one code sent, as /_dev/outbox shows it.
type outboxMessage struct {
	UserPoolId  string `json:"userPoolId"`
	Username    string `json:"username"`    // the real username
	Destination string `json:"destination"` // unmasked
	Medium      string `json:"medium"`      // SMS | EMAIL
	Code        string `json:"code"`
	Time        string `json:"time"` // RFC 3339
	// Message and Subject are the text sent (messages.go): a CustomMessage
	// trigger's, the pool's template or Cognito's default, the code in place
	// of its placeholder. An invitation's Code is the temporary password.
	Message string `json:"message,omitempty"`
	Subject string `json:"subject,omitempty"`
}

// outbox is a ring once full: a new message overwrites the oldest in place
// instead of shifting all the others on every code sent.
type outbox struct {
	mu     sync.Mutex
	msgs   []outboxMessage // oldest first: msgs[oldest:], then msgs[:oldest]
	oldest int
}

func (o *outbox) add(m outboxMessage) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.msgs) < maxOutbox {
		o.msgs = append(o.msgs, m)
		return
	}
	o.msgs[o.oldest] = m
	o.oldest = (o.oldest + 1) % maxOutbox
}

func (o *outbox) list(poolID, username string) []outboxMessage {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := []outboxMessage{}
	for _, part := range [][]outboxMessage{o.msgs[o.oldest:], o.msgs[:o.oldest]} {
		for _, m := range part {
			if m.UserPoolId == poolID && (username == "" || m.Username == username) {
				out = append(out, m)
			}
		}
	}
	return out
}

// sendMessage delivers m to the outbox and, unless m carries a secret that
// is not a code (an invitation's temporary password), with its code to the
// log.
func (e *Emulator) sendMessage(p *poolRecord, username string, m message, logCode bool) {
	e.outbox.add(outboxMessage{UserPoolId: p.ID, Username: username, Destination: m.destination, Medium: m.medium,
		Code: m.code, Time: e.now().UTC().Format(time.RFC3339), Message: m.text, Subject: m.subject})
	if !logCode {
		e.log.Info("outbox: message sent", "medium", m.medium, "to", m.destination, "user", username, "pool", p.ID)
		return
	}
	// The code on the console is the point of the outbox: this is a local
	// emulator, and the code is what a developer would read on the phone.
	e.log.Info("outbox: code sent", "medium", m.medium, "to", m.destination, "user", username, "pool", p.ID, "code", m.code)
}

// serveOutbox answers GET /_dev/outbox.
func (e *Emulator) serveOutbox(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	poolID, name := q.Get("userPoolId"), q.Get("username")
	if poolID == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "userPoolId is required."})
		return
	}
	var p *poolRecord
	var u *userRecord
	err := e.store.view(func(t *txn) (err error) {
		if p, err = t.pool(poolID); err != nil || p == nil {
			return err
		}
		u, err = t.resolveUser(p, name)
		return err
	})
	if err != nil {
		e.log.Error("outbox lookup", "err", err)
		writeError(w, errInternal)
		return
	}
	if p == nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "User pool " + strings.ToValidUTF8(poolID, "?") + " does not exist."})
		return
	}
	switch {
	case name == "":
		writeJSON(w, http.StatusOK, e.outbox.list(p.ID, ""))
	case u == nil:
		writeJSON(w, http.StatusOK, []outboxMessage{}) // no such user, no messages
	default:
		writeJSON(w, http.StatusOK, e.outbox.list(p.ID, u.Username))
	}
}

// maskEmail shows an address as Cognito does in CODE_DELIVERY_DESTINATION:
// the first character of each side, "a***@e***".
func maskEmail(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 {
		return "***"
	}
	first := func(s string) string {
		for _, r := range s {
			return string(r)
		}
		return ""
	}
	return first(addr[:at]) + "***@" + first(addr[at+1:]) + "***"
}

// maskPhone shows a number as Cognito does: "+*******0100", the last four
// digits kept.
func maskPhone(num string) string {
	digits := strings.TrimPrefix(num, "+")
	if len(digits) <= 4 {
		return "+" + strings.Repeat("*", len(digits))
	}
	return "+" + strings.Repeat("*", len(digits)-4) + digits[len(digits)-4:]
}
