package srp

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// nHex is the RFC 5054 3072-bit group prime that Cognito uses.
const nHex = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff"

// MaxHexLen bounds every hex integer accepted from the wire. N itself is 768
// hex digits; anything much longer is garbage or an attack.
const MaxHexLen = 1024

var (
	bigN = mustHex(nHex)
	bigG = big.NewInt(2)
	bigK = new(big.Int).SetBytes(hashBytes(Pad(bigN), Pad(bigG)))
)

// N returns a copy of the group prime.
func N() *big.Int { return new(big.Int).Set(bigN) }

// G returns the group generator, 2.
func G() *big.Int { return new(big.Int).Set(bigG) }

// K returns the multiplier k = H(pad(N) || pad(g)).
func K() *big.Int { return new(big.Int).Set(bigK) }

func mustHex(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("srp: bad built-in constant")
	}
	return v
}

// Pad encodes x as Java's BigInteger.toByteArray does: the shortest
// two's-complement big-endian form, so a positive value whose top bit is set
// gains a leading 0x00. Cognito hashes this form; getting it wrong fails about
// half of all sign-ins.
func Pad(x *big.Int) []byte {
	if x.Sign() >= 0 {
		n := x.BitLen()/8 + 1
		return x.FillBytes(make([]byte, n))
	}
	// Negative: length from the bit length of -x-1, value 2^(8n) + x.
	m := new(big.Int).Neg(x)
	m.Sub(m, big.NewInt(1))
	n := m.BitLen()/8 + 1
	y := new(big.Int).Lsh(big.NewInt(1), uint(8*n))
	y.Add(y, x)
	return y.FillBytes(make([]byte, n))
}

// ParseHex reads a hex integer as Cognito and its Java clients write it: an
// optional leading '-' is a sign. Empty, non-hex and oversized input is an
// error naming the field.
func ParseHex(field, s string) (*big.Int, error) {
	if s == "" {
		return nil, fmt.Errorf("srp: %s is empty", field)
	}
	if len(s) > MaxHexLen {
		return nil, fmt.Errorf("srp: %s is %d hex digits, more than the %d allowed", field, len(s), MaxHexLen)
	}
	digits := strings.TrimPrefix(s, "-")
	if digits == "" {
		return nil, fmt.Errorf("srp: %s is not hex: %q", field, s)
	}
	for i := 0; i < len(digits); i++ {
		if !isHexDigit(digits[i]) {
			return nil, fmt.Errorf("srp: %s is not hex: bad character at offset %d", field, i+len(s)-len(digits))
		}
	}
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		return nil, fmt.Errorf("srp: %s is not hex", field)
	}
	return v, nil
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// Hex writes x as Cognito expects SRP_A and SRP_B: lowercase hex, no padding.
func Hex(x *big.Int) string { return x.Text(16) }

func hashBytes(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

func hashInt(parts ...[]byte) *big.Int { return new(big.Int).SetBytes(hashBytes(parts...)) }

// scramble computes u = H(pad(A) || pad(B)).
func scramble(A, B *big.Int) *big.Int { return hashInt(Pad(A), Pad(B)) }

// privateKey computes x = H(pad(salt) || H(poolName || userID || ":" || password)).
func privateKey(salt *big.Int, poolName, userID, password string) *big.Int {
	inner := hashBytes([]byte(poolName), []byte(userID), []byte(":"), []byte(password))
	return hashInt(Pad(salt), inner)
}

// errZeroModN is wrapped by every "value is 0 mod N" refusal.
var errZeroModN = errors.New("is 0 mod N")

// isZeroModN reports whether v ≡ 0 (mod N).
func isZeroModN(v *big.Int) bool { return new(big.Int).Mod(v, bigN).Sign() == 0 }
