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
// Speed: in wasm builds, where math/big has no assembly, the exponentiations
// use Montgomery multiplication modulo N in 28-bit limbs (mont.go), with the
// inner loop generated as straight code (montmul_gen.go, srp/internal/montgen):
// S goes through a fixed 5-bit window, and since g = 2 never changes, g^a and
// g^x go through a fixed-base comb (comb.go) whose table of powers of g is
// built once, on the first sign-in. Native builds keep math/big's Exp, whose
// assembly is faster there (gexp_wasm.go, gexp_other.go).
//
// Constant time, in wasm builds:
//   - montMul has no branch and no memory address that depends on its
//     operands: carries are deferred to one final pass, and there is no final
//     subtraction (R = 2^3080 > 4N keeps every value below 2N).
//   - montExp, for S's exponent a + u*x, runs the same sequence of squarings
//     and multiplications for every exponent below 2^513 (all a client
//     makes) and reads its 32-entry window table by scanning every entry with
//     masks; fromMont's last subtraction of N is masked too.
//   - The comb for g^a and g^x reads its tables the same way, and every
//     exponent of up to 264 bits takes the same steps.
//   - Cost, measured (Node, CPU time, busy machine): the window scans are
//     about 3% of S (2.1 us each, 103 of them, against 7.5 ms); the comb's
//     scans made g^e 48% slower (0.42 to 0.63 ms for 256 bits, with the
//     table shape chosen for them), about 5% of a client's SRP work. Both
//     are under the 10% this may cost. With loops instead of the generated
//     straight code the scan cost 4x more.
//   - Not constant time: the math/big glue around them (k*g^x, B - k*g^x,
//     u*x + a, the conversions into and out of limbs, hex, hashing's
//     big.Int), whose time depends on operand lengths; and wasm's i64.mul,
//     constant-time on the CPUs browsers run on, is the engine's to choose.
//
// Native builds (the emulator, native clients) use math/big's Exp, which is
// not constant-time, for everything. So there, and through the glue in wasm,
// SRP's secrets (a, b, x) remain exposed to timing and cache observation by
// code on the same machine; over a network the variance is far below what
// can be measured, which is the same trade-off every public Cognito client
// makes.
package srp
