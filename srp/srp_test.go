package srp

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

type vectorFile struct {
	Group struct {
		N, G, K string
	} `json:"group"`
	Cases []struct {
		Source       string `json:"source"`
		PoolName     string `json:"poolName"`
		UserIDForSRP string `json:"userIdForSRP"`
		Identity     string `json:"identity"`
		Password     string `json:"password"`
		A            string `json:"a"`
		BigA         string `json:"A"`
		B, Salt      string
		U, X, S, Key string
		SecretBlock  string `json:"secretBlock"`
		Timestamp    string `json:"timestamp"`
		Signature    string `json:"signature"`
		SecretHash   *struct {
			ClientID, ClientSecret, Username, Value string
		} `json:"secretHash"`
	} `json:"cases"`
	BadB []struct{ B, Why string } `json:"badB"`
	Pad  struct {
		Table map[string]string `json:"table"`
	} `json:"pad"`
	Timestamps struct {
		Cases []struct {
			EpochMillis int64  `json:"epochMillis"`
			Timestamp   string `json:"timestamp"`
		} `json:"cases"`
	} `json:"timestamps"`
}

func loadVectors(t testing.TB) vectorFile {
	t.Helper()
	raw, err := os.ReadFile("testdata/cognito-srp-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectorFile
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Cases) == 0 || len(v.BadB) == 0 || len(v.Pad.Table) == 0 || len(v.Timestamps.Cases) == 0 {
		t.Fatal("vector file is missing sections")
	}
	return v
}

// fixedA makes a random source that yields exactly the ephemeral a.
func fixedA(t testing.TB, aHex string) Option {
	t.Helper()
	a := mustHex(aHex)
	return WithRandom(bytes.NewReader(a.FillBytes(make([]byte, EphemeralBytes))))
}

func TestGroupConstants(t *testing.T) {
	v := loadVectors(t)
	if got := Hex(bigN); got != v.Group.N {
		t.Errorf("N = %s; want %s", got, v.Group.N)
	}
	if got := Hex(bigK); got != v.Group.K {
		t.Errorf("k = %s; want %s", got, v.Group.K)
	}
	if got := len(Pad(bigN)); got != 385 {
		t.Errorf("len(Pad(N)) = %d; want 385", got)
	}
}

func TestKnownAnswers(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Cases {
		t.Run(c.Source, func(t *testing.T) {
			poolName, userID := c.PoolName, c.UserIDForSRP
			if c.Identity != "" { // given as one string poolName||userID
				poolName, userID = "", c.Identity
			}
			cl, err := NewClient(fixedA(t, c.A))
			if err != nil {
				t.Fatal(err)
			}
			if got := cl.A(); got != c.BigA {
				t.Errorf("A() = %s; want %s", got, c.BigA)
			}
			B, salt := mustHex(c.B), mustHex(c.Salt)
			u := scramble(cl.bigA, B)
			if got := Hex(u); got != c.U {
				t.Errorf("u = %s; want %s", got, c.U)
			}
			x := privateKey(salt, poolName, userID, c.Password)
			if got := Hex(x); got != c.X {
				t.Errorf("x = %s; want %s", got, c.X)
			}
			if got := Hex(cl.premaster(B, u, x)); got != c.S {
				t.Errorf("S = %s; want %s", got, c.S)
			}
			key, err := cl.SessionKey(poolName, userID, c.Password, c.Salt, c.B)
			if err != nil {
				t.Fatalf("SessionKey: %v", err)
			}
			if got := hex.EncodeToString(key); got != c.Key {
				t.Errorf("key = %s; want %s", got, c.Key)
			}
			if c.Signature != "" {
				sig, err := ClaimSignature(key, poolName, userID, c.SecretBlock, c.Timestamp)
				if err != nil {
					t.Fatal(err)
				}
				if sig != c.Signature {
					t.Errorf("ClaimSignature = %s; want %s", sig, c.Signature)
				}
				if !VerifyClaim(key, poolName, userID, c.SecretBlock, c.Timestamp, c.Signature) {
					t.Error("VerifyClaim(known signature) = false; want true")
				}
				ts, err := ParseTimestamp(c.Timestamp)
				if err != nil {
					t.Fatal(err)
				}
				claim, err := cl.PasswordClaim(ClaimInput{PoolName: poolName, UserID: userID, Password: c.Password,
					Salt: c.Salt, SRPB: c.B, SecretBlock: c.SecretBlock, Now: ts})
				if err != nil {
					t.Fatal(err)
				}
				if claim != (Claim{Signature: c.Signature, Timestamp: c.Timestamp}) {
					t.Errorf("PasswordClaim = %+v; want %s at %s", claim, c.Signature, c.Timestamp)
				}
			}
			if h := c.SecretHash; h != nil {
				if got := SecretHash(h.Username, h.ClientID, h.ClientSecret); got != h.Value {
					t.Errorf("SecretHash(%q, %q, ...) = %s; want %s", h.Username, h.ClientID, got, h.Value)
				}
			}
		})
	}
}

func TestPadJavaTable(t *testing.T) {
	v := loadVectors(t)
	for dec, want := range v.Pad.Table {
		n, ok := new(big.Int).SetString(dec, 10)
		if !ok {
			t.Fatalf("bad table key %q", dec)
		}
		if got := hex.EncodeToString(Pad(n)); got != want {
			t.Errorf("Pad(%s) = %s; want %s", dec, got, want)
		}
	}
}

func TestBadB(t *testing.T) {
	v := loadVectors(t)
	cl, err := NewClient()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range v.BadB {
		t.Run(c.Why, func(t *testing.T) {
			if _, err := cl.SessionKey("pool", "user", "pw", "abcd", c.B); err == nil {
				t.Errorf("SessionKey(B=%.20q) = nil error; want an error (%s)", c.B, c.Why)
			}
		})
	}
}

func TestBadInputsAreErrors(t *testing.T) {
	cl, err := NewClient()
	if err != nil {
		t.Fatal(err)
	}
	goodB := Hex(new(big.Int).Exp(bigG, big.NewInt(12345), bigN))
	block := "c2VjcmV0"
	tests := []struct {
		name, salt, b, block, wantIn string
	}{
		{"empty salt", "", goodB, block, "SALT is empty"},
		{"non-hex salt", "12xz", goodB, block, "SALT is not hex"},
		{"bare minus salt", "-", goodB, block, "SALT is not hex"},
		{"oversized salt", strings.Repeat("a", MaxHexLen+1), goodB, block, "SALT is 1025 hex digits"},
		{"oversized B", "ab", strings.Repeat("1", MaxHexLen+1), block, "SRP_B is 1025 hex digits"},
		{"negative B", "ab", "-" + goodB, block, "SRP_B is negative"},
		{"B zero", "ab", "0", block, "SRP_B is 0 mod N"},
		{"bad base64", "ab", goodB, "not*base64", "SECRET_BLOCK is not base64"},
		{"empty block", "ab", goodB, "", "SECRET_BLOCK is empty"},
		{"huge block", "ab", goodB, strings.Repeat("A", MaxSecretBlockLen+4), "SECRET_BLOCK is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cl.PasswordClaim(ClaimInput{PoolName: "p", UserID: "u", Password: "pw", Salt: tt.salt, SRPB: tt.b, SecretBlock: tt.block})
			if err == nil || !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("PasswordClaim(%s) = %v; want error containing %q", tt.name, err, tt.wantIn)
			}
		})
	}
}

func TestNegativeSaltIsSigned(t *testing.T) {
	// Cognito has sent SALT as negative hex; it is a signed value, so pad
	// gives its two's complement and x differs from the positive reading.
	neg, err := ParseHex("SALT", "-7f3a")
	if err != nil {
		t.Fatalf("ParseHex(-7f3a) = %v; want a value", err)
	}
	if neg.Sign() >= 0 {
		t.Fatalf("ParseHex(-7f3a) = %v; want negative", neg)
	}
	if got := hex.EncodeToString(Pad(neg)); got != "80c6" {
		t.Errorf("Pad(-0x7f3a) = %s; want 80c6", got)
	}
	ver := VerifierWithSalt(neg, "pool", "user", "pw")
	cl, _ := NewClient()
	srv, err := NewServer(ver, cl.A())
	if err != nil {
		t.Fatal(err)
	}
	key, err := cl.SessionKey("pool", "user", "pw", "-7f3a", srv.B())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key, srv.Key()) {
		t.Error("client and server keys differ for a negative salt")
	}
}

func TestServerRefusesBadA(t *testing.T) {
	ver, _ := NewVerifier("pool", "user", "pw")
	for _, a := range []string{"", "0", Hex(bigN), Hex(new(big.Int).Lsh(bigN, 1)), "-1", "xyz", strings.Repeat("f", MaxHexLen+1)} {
		if _, err := NewServer(ver, a); err == nil {
			t.Errorf("NewServer(A=%.20q) = nil error; want an error", a)
		}
	}
}

func TestTimestamps(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Timestamps.Cases {
		if got := Timestamp(time.UnixMilli(c.EpochMillis)); got != c.Timestamp {
			t.Errorf("Timestamp(%d) = %q; want %q", c.EpochMillis, got, c.Timestamp)
		}
	}
	extra := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2024, 3, 5, 13, 7, 9, 0, time.UTC), "Tue Mar 5 13:07:09 UTC 2024"},   // afternoon, single-digit day
		{time.Date(2024, 3, 5, 23, 59, 59, 0, time.UTC), "Tue Mar 5 23:59:59 UTC 2024"}, // never hour 24 or 11 PM
		{time.Date(2025, 12, 25, 0, 0, 0, 0, time.UTC), "Thu Dec 25 00:00:00 UTC 2025"},
		{time.Date(2024, 3, 5, 15, 0, 0, 0, time.FixedZone("X", 3600*5)), "Tue Mar 5 10:00:00 UTC 2024"}, // converted to UTC
	}
	for _, c := range extra {
		if got := Timestamp(c.at); got != c.want {
			t.Errorf("Timestamp(%v) = %q; want %q", c.at, got, c.want)
		}
	}
	for _, bad := range []string{"Tue Mar 05 13:07:09 UTC 2024", "Wed Mar 5 13:07:09 UTC 2024", "Tue Mar 5 1:07:09 PM UTC 2024", ""} {
		if _, err := ParseTimestamp(bad); err == nil {
			t.Errorf("ParseTimestamp(%q) = nil error; want an error", bad)
		}
	}
}

func TestPoolName(t *testing.T) {
	if got, err := PoolName("us-east-1_AbC123"); err != nil || got != "AbC123" {
		t.Errorf("PoolName(us-east-1_AbC123) = %q, %v; want AbC123", got, err)
	}
	for _, bad := range []string{"", "nounderscore", "us-east-1_"} {
		if _, err := PoolName(bad); err == nil {
			t.Errorf("PoolName(%q) = nil error; want an error", bad)
		}
	}
}

// TestClientServerAgree runs many random users through both halves: the same
// key, a signature the server accepts, and a wrong password refused.
func TestClientServerAgree(t *testing.T) {
	r := mrand.New(mrand.NewPCG(1, 2))
	alphabet := []rune("abcXYZ019_-+.@ äöüßéñ日本語🙂")
	word := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteRune(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	n := 40
	if testing.Short() {
		n = 8
	}
	for i := 0; i < n; i++ {
		pool, user, pw := word(8), word(1+r.IntN(20)), word(1+r.IntN(30))
		ver, err := NewVerifier(pool, user, pw)
		if err != nil {
			t.Fatal(err)
		}
		cl, _ := NewClient()
		srv, err := NewServer(ver, cl.A())
		if err != nil {
			t.Fatal(err)
		}
		block := base64.StdEncoding.EncodeToString([]byte("block-" + strconv.Itoa(i)))
		claim, err := cl.PasswordClaim(ClaimInput{PoolName: pool, UserID: user, Password: pw,
			Salt: Hex(ver.Salt), SRPB: srv.B(), SecretBlock: block})
		if err != nil {
			t.Fatalf("user %d: %v", i, err)
		}
		if !VerifyClaim(srv.Key(), pool, user, block, claim.Timestamp, claim.Signature) {
			t.Fatalf("user %d (%q/%q): server refused a correct claim", i, user, pw)
		}
		wrong, _ := cl.PasswordClaim(ClaimInput{PoolName: pool, UserID: user, Password: pw + "x",
			Salt: Hex(ver.Salt), SRPB: srv.B(), SecretBlock: block, Now: time.Now()})
		if VerifyClaim(srv.Key(), pool, user, block, wrong.Timestamp, wrong.Signature) {
			t.Fatalf("user %d: server accepted a wrong password", i)
		}
		if VerifyClaim(srv.Key(), pool, user, "b3RoZXI=", claim.Timestamp, claim.Signature) {
			t.Fatalf("user %d: server accepted a changed secret block", i)
		}
	}
}

func FuzzClientServerValues(f *testing.F) {
	f.Add("abcd", "499602d2", "c2VjcmV0")
	f.Add("-7f", "0", "")
	f.Add("", Hex(bigN), "!!")
	f.Add("ff", "-", "AAAA")
	cl, err := NewClient()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, salt, b, block string) {
		claim, err := cl.PasswordClaim(ClaimInput{PoolName: "p", UserID: "u", Password: "pw", Salt: salt, SRPB: b, SecretBlock: block})
		if err == nil && (claim.Signature == "" || claim.Timestamp == "") {
			t.Fatalf("PasswordClaim(%q, %q, %q) gave an empty claim without an error", salt, b, block)
		}
	})
}

// Example walks one whole password verification, both halves in one process.
func Example() {
	poolName, _ := PoolName("us-east-1_Demo")
	ver, _ := NewVerifier(poolName, "alice-id", "correct horse")

	client, _ := NewClient()                // InitiateAuth sends client.A()
	server, _ := NewServer(ver, client.A()) // server answers SALT, SRP_B, SECRET_BLOCK
	claim, err := client.PasswordClaim(ClaimInput{
		PoolName: poolName, UserID: "alice-id", Password: "correct horse",
		Salt: Hex(ver.Salt), SRPB: server.B(), SecretBlock: "c2VjcmV0LWJsb2Nr",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(VerifyClaim(server.Key(), poolName, "alice-id", "c2VjcmV0LWJsb2Nr", claim.Timestamp, claim.Signature))
	// Output: true
}
