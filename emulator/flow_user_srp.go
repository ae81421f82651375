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
	server, err := srp.NewServer(ver, srpA)
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

// simulatedVerifier derives a stable salt and verifier for a name that is not
// a user, keyed by the pool's secret, so repeated tries look alike.
func simulatedVerifier(p *poolRecord, name string) srp.Verifier {
	mac := func(label string) *big.Int {
		h := hmac.New(sha256.New, p.Secret)
		h.Write([]byte(label))
		h.Write([]byte{0})
		h.Write([]byte(p.fold(name)))
		return new(big.Int).SetBytes(h.Sum(nil))
	}
	salt := new(big.Int).Rsh(mac("salt"), 128) // 16 bytes, like a real salt
	v := new(big.Int).Exp(srp.G(), mac("verifier"), srp.N())
	return srp.Verifier{Salt: salt, V: v}
}
