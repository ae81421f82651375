package emulator

import (
	"strconv"
	"testing"
)

// TestOutboxKeepsNewestInOrder fills the outbox past its bound: the oldest
// messages go, and the rest are listed oldest first across the wrap.
func TestOutboxKeepsNewestInOrder(t *testing.T) {
	var o outbox
	const extra = 5
	for i := 0; i < maxOutbox+extra; i++ {
		user := "alice"
		if i%2 == 1 {
			user = "bob"
		}
		o.add(outboxMessage{UserPoolId: "p", Username: user, Code: strconv.Itoa(i)})
	}
	all := o.list("p", "")
	if len(all) != maxOutbox {
		t.Fatalf("listed %d messages; want %d", len(all), maxOutbox)
	}
	for i, m := range all {
		if want := strconv.Itoa(i + extra); m.Code != want {
			t.Fatalf("message %d has code %s; want %s (oldest first, the first %d dropped)", i, m.Code, want, extra)
		}
	}
	bob := o.list("p", "bob")
	if len(bob) != maxOutbox/2 {
		t.Fatalf("listed %d messages for bob; want %d", len(bob), maxOutbox/2)
	}
	for i := 1; i < len(bob); i++ {
		prev, _ := strconv.Atoi(bob[i-1].Code)
		cur, _ := strconv.Atoi(bob[i].Code)
		if cur != prev+2 {
			t.Fatalf("bob's messages out of order at %d: %s after %s", i, bob[i].Code, bob[i-1].Code)
		}
	}
	if got := o.list("other", ""); len(got) != 0 {
		t.Fatalf("another pool lists %d messages; want none", len(got))
	}
}
