package emulator

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"math/big"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// USER_SRP_AUTH: the client sends SRP_A, the emulator answers with a
// PASSWORD_VERIFIER challenge (challenge_password_verifier.go).

// srpState is PASSWORD_VERIFIER's own session state.
type srpState struct {
	secretBlock string
	key         []byte // the SRP session key
	simulated   bool   // an unknown user under PreventUserExistenceErrors: never answerable
}

func startUserSRP(e *Emulator, ctx context.Context, sc *signInContext, params map[string]string) (*authResponse, error) {
	if err := requireParams(params, "USERNAME", "SRP_A"); err != nil {
		return nil, err
	}
	typed := params["USERNAME"]
	if err := checkSecretHash(sc.client, typed, params["SECRET_HASH"]); err != nil {
		return nil, err
	}
	return e.srpChallenge(sc, newAuthState(sc, "USER_SRP_AUTH"), typed, params["SRP_A"])
}

// srpChallenge looks the user up and answers SRP_A with PASSWORD_VERIFIER;
// flows that do SRP inside them (CUSTOM_AUTH's SRP_A, USER_AUTH's
// PASSWORD_SRP) share it.
func (e *Emulator) srpChallenge(sc *signInContext, st authState, typed, srpA string) (*authResponse, error) {
	if _, err := srp.ParseHex("SRP_A", srpA); err != nil {
		return nil, errInvalidParam("SRP_A is not a valid hex number.")
	}
	p := sc.pool
	u, err := e.findUser(p, typed)
	if err != nil {
		return nil, err
	}
	state := &srpState{secretBlock: base64.StdEncoding.EncodeToString(randomBytes(secretBlockSize))}
	var ver srp.Verifier
	if u == nil {
		if sc.client.PreventUserExistenceErrors != "ENABLED" {
			return nil, errUserNotFound()
		}
		// Simulate a challenge that looks like a real one and is the same for
		// the same name every time; it can never be answered.
		if e.lockout.locked(unknownLockKey(p, typed), e.now()) {
			return nil, errAttemptsExceeded()
		}
		state.simulated = true
		st.username = typed
		ver = simulatedVerifier(p, typed)
	} else {
		if err := e.checkUsable(p, u); err != nil {
			return nil, err
		}
		st.username, st.verifier = u.Username, u.Verifier
		salt, err1 := srp.ParseHex("SALT", u.Salt)
		vv, err2 := srp.ParseHex("verifier", u.Verifier)
		if err1 != nil || err2 != nil {
			return nil, errInternal
		}
		ver = srp.Verifier{Salt: salt, V: vv}
	}
	server, err := srp.NewServerTabled(ver, srpA) // g^b from tables built once for the process
	if err != nil {
		return nil, errInvalidParam("SRP_A is not valid: %v", err)
	}
	state.key = server.Key()
	return e.challenge(sc, st, "PASSWORD_VERIFIER", state, state.secretBlock, map[string]string{
		"SALT":            srp.Hex(ver.Salt),
		"SRP_B":           server.B(),
		"SECRET_BLOCK":    state.secretBlock,
		"USERNAME":        st.username,
		"USER_ID_FOR_SRP": st.username,
	}), nil
}

// unknownLockKey counts wrong passwords for a name that is no user, so
// that PreventUserExistenceErrors locks unknown names out as it locks users.
func unknownLockKey(p *poolRecord, name string) string {
	return lockKey(p.ID, "\x00unknown\x00"+p.fold(name))
}

// simulatedSalt derives the stable salt an unknown name is shown.
func simulatedSalt(p *poolRecord, name string) *big.Int {
	h := hmac.New(sha256.New, p.Secret)
	h.Write([]byte("salt"))
	h.Write([]byte{0})
	h.Write([]byte(p.fold(name)))
	return new(big.Int).Rsh(new(big.Int).SetBytes(h.Sum(nil)), 128) // 16 bytes, like a real salt
}

// simulatedVerifier derives a stable salt and verifier for a name that is not
// a user, keyed by the pool's secret, so repeated tries look alike. The
// verifier is a keyed pseudo-random number below N, not g^x: B = k*v + g^b
// looks the same either way, and skipping the exponentiation keeps an
// unknown name from taking longer than a user (g^x is computed when the
// user's password is set, not at sign-in).
func simulatedVerifier(p *poolRecord, name string) srp.Verifier {
	var stream []byte
	for i := 0; len(stream) < len(srp.N().Bytes())+16; i++ {
		h := hmac.New(sha256.New, p.Secret)
		h.Write([]byte("verifier"))
		h.Write([]byte{0, byte(i)})
		h.Write([]byte(p.fold(name)))
		stream = h.Sum(stream)
	}
	v := new(big.Int).Mod(new(big.Int).SetBytes(stream), srp.N())
	if v.Sign() == 0 {
		v.SetInt64(1)
	}
	return srp.Verifier{Salt: simulatedSalt(p, name), V: v}
}
