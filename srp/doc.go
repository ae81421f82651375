// Package srp implements the SRP-6a variant that Amazon Cognito user pools use
// for USER_SRP_AUTH and for remembered devices: both the client half (used by
// the sign-in engine) and the server half (used by the local emulator).
//
// Notation (all arithmetic mod N, the RFC 5054 3072-bit prime; g = 2; H = SHA-256):
//
//	pad(x)  Java BigInteger.toByteArray: minimal two's-complement big-endian bytes
//	k       = H(pad(N) || pad(g))
//	A       = g^a                       client ephemeral, a random
//	B       = k*v + g^b                 server ephemeral, b random
//	u       = H(pad(A) || pad(B))
//	x       = H(pad(salt) || H(poolName || userID || ":" || password))
//	v       = g^x                       the verifier the server stores
//	S       = (B - k*g^x)^(a + u*x)     client side
//	        = (A * v^u)^b               server side
//	K       = HKDF-SHA256(salt=pad(u), ikm=pad(S), info="Caldera Derived Key")[:16]
//	claim   = base64(HMAC-SHA256(K, poolName || userID || secretBlock || TIMESTAMP))
//
// For devices poolName is the DeviceGroupKey, userID the DeviceKey and the
// password the random device password.
//
// Everything that arrives over the wire (hex, base64) is validated and
// reported as an error, never a panic; the only panic is a failing random
// source. The caller is responsible for sending the challenge response within
// the server's session lifetime and for keeping passwords out of logs.
//
// Speed: g = 2 never changes, so in wasm builds g^a and g^x go through a
// fixed-base comb (comb.go) whose table of powers of g is built once, on the
// first sign-in, instead of math/big's Exp, which has no assembly in wasm;
// native builds keep math/big's Exp (gexp_wasm.go, gexp_other.go).
//
// Constant time: nothing here is. math/big's Exp and its Mul and Mod (which
// the comb also uses) take time that depends on their operands. The comb adds
// table lookups indexed by 8 bits of the secret exponent at a time, so which
// cache lines it reads depends on a and x. Reading the whole 256-entry table
// column with a constant-time select for every lookup was tried and measured:
// it more than doubled the comb's time in wasm for 1024-bit exponents (43-51
// ms against 16-24 ms, on 2 busy cores): each lookup scans 256 entries of 48
// words, more work than the 3072-bit multiplication it feeds. That is far over
// the 10% such a fix may cost, and it would not make the multiplications
// constant-time anyway.
// So SRP's secret exponents (a, b, x) are exposed to timing and cache
// observation by code on the same machine; over a network the variance is far
// below what can be measured, which is the same trade-off every public
// Cognito client makes.
package srp
