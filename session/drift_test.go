package session

import (
	"testing"
	"time"
)

// TestParseDrift: a stored clockDrift reads as Amplify v6 reads it
// (Number.parseInt, milliseconds), whoever wrote it; what it cannot read, or
// a drift beyond maxDrift, is no drift.
func TestParseDrift(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Duration
	}{
		{"600000", 10 * time.Minute}, // Amplify: server 10 minutes ahead
		{"-350", -350 * time.Millisecond},
		{"0", 0},
		{"+42", 42 * time.Millisecond},
		{" 12.7", 12 * time.Millisecond}, // parseInt stops at the dot
		{"5 ", 5 * time.Millisecond},
		{"-2", -2 * time.Millisecond}, // identity-js's seconds: a few ms, i.e. none
		{"", 0},
		{"abc", 0},
		{"-", 0},
		{"NaN", 0},
		{"315360000000", maxDrift},     // ten years: still a drift
		{"315360000001", 0},            // beyond: corrupt
		{"-9000000000000000", 0},       // would overflow time.Duration
		{"99999999999999999999999", 0}, // beyond int64
	} {
		if got := parseDrift(tt.in); got != tt.want {
			t.Errorf("parseDrift(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

// TestDriftFromIat: Amplify's cacheCognitoTokens form, and 0 without iat
// (a token without iat must not count as issued in 1970, which would make it
// look fresh forever).
func TestDriftFromIat(t *testing.T) {
	now := time.Unix(1_800_000_000, 250_000_000)
	for _, tt := range []struct {
		iat  int64
		want time.Duration
	}{
		{1_800_000_000, -250 * time.Millisecond},
		{1_800_000_600, 10*time.Minute - 250*time.Millisecond},
		{0, 0},
		{-5, 0},
	} {
		if got := driftFromIat(tt.iat, now); got != tt.want {
			t.Errorf("driftFromIat(%d) = %v; want %v", tt.iat, got, tt.want)
		}
	}
}
