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
// math/big's Exp is not constant-time. SRP's secret exponents (a, b, x) are
// therefore exposed to timing observation by code on the same machine; over
// a network the variance is far below what can be measured, which is the same
// trade-off every public Cognito client makes.
package srp
