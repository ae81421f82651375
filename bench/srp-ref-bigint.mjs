// srp-ref-bigint.mjs: two plain-JavaScript references for the client's SRP
// work, written with the language's BigInt, so that the bench can show
// whether the Go wasm is worth loading at all. Both run the whole client
// computation (A = g^a, u, x, S, HKDF key) and differ only in modPow:
//   - modPowSquareMultiply: right-to-left square-and-multiply with `%`, as the
//     small BigInt Cognito clients do it;
//   - modPowMontgomery: Montgomery multiplication (R = 2^3072, reduction by
//     masks and shifts instead of division) with a fixed 5-bit window.
// Hashing is a small synchronous SHA-256 here (WebCrypto's is asynchronous);
// it is well under 1% of the time.

const N = BigInt('0x' +
  'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff');
const G = 2n;

// --- modPow, square-and-multiply ---------------------------------------
export function modPowSquareMultiply(base, exp, m) {
  let r = 1n;
  let b = base % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
  }
  return r;
}

// --- modPow, windowed Montgomery (for N only) --------------------------
const RBITS = 3072n;
const RMASK = (1n << RBITS) - 1n;
const NPRIME = (() => { // -N^-1 mod R by Newton's iteration (each step doubles the correct bits)
  let inv = 1n;
  for (let i = 0; i < 12; i++) inv = (inv * (2n - N * inv)) & RMASK;
  return (RMASK + 1n - inv) & RMASK;
})();
const montMul = (a, b) => {
  const t = a * b;
  const m = ((t & RMASK) * NPRIME) & RMASK;
  const u = (t + m * N) >> RBITS;
  return u >= N ? u - N : u;
};
const WINDOW = 5;
export function modPowMontgomery(base, exp, m) {
  if (m !== N) throw new Error('modPowMontgomery is specialised to the group prime');
  const table = [(1n << RBITS) % N, ((base % N) << RBITS) % N];
  for (let i = 2; i < 1 << WINDOW; i++) table.push(montMul(table[i - 1], table[1]));
  const bits = exp.toString(2);
  const pad = (WINDOW - (bits.length % WINDOW)) % WINDOW;
  const s = '0'.repeat(pad) + bits;
  let r = table[0];
  for (let i = 0; i < s.length; i += WINDOW) {
    if (i > 0) for (let j = 0; j < WINDOW; j++) r = montMul(r, r);
    const idx = parseInt(s.slice(i, i + WINDOW), 2);
    if (idx) r = montMul(r, table[idx]);
  }
  return montMul(r, 1n); // out of Montgomery form
}

// --- SHA-256, HMAC, hex ------------------------------------------------
const K256 = new Uint32Array(64);
{
  let n = 2;
  for (let i = 0; i < 64; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
    if (prime) K256[i++] = Math.floor((Math.cbrt(n) % 1) * 2 ** 32);
  }
}
export function sha256(msg) {
  const len = msg.length;
  const buf = new Uint8Array(((len + 72) >> 6) << 6);
  buf.set(msg);
  buf[len] = 0x80;
  const dv = new DataView(buf.buffer);
  dv.setUint32(buf.length - 4, len * 8);
  dv.setUint32(buf.length - 8, Math.floor(len / 2 ** 29));
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const rotr = (x, r) => (x >>> r) | (x << (32 - r));
  for (let off = 0; off < buf.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = dv.getUint32(off + 4 * i);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
      const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      [hh, g, f, e, d, c, b, a] = [g, f, e, (d + t1) >>> 0, c, b, a, (t1 + t2) >>> 0];
    }
    [a, b, c, d, e, f, g, hh].forEach((v, i) => { h[i] = (h[i] + v) >>> 0; });
  }
  const out = new Uint8Array(32);
  const ov = new DataView(out.buffer);
  h.forEach((v, i) => ov.setUint32(4 * i, v));
  return out;
}
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
export function hmac(key, msg) {
  const k = new Uint8Array(64);
  k.set(key.length > 64 ? sha256(key) : key);
  return sha256(concat(k.map((b) => b ^ 0x5c), sha256(concat(k.map((b) => b ^ 0x36), msg))));
}
const utf8 = (s) => new TextEncoder().encode(s);
const fromHex = (h) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
// padHex: Java's BigInteger.toByteArray for a non-negative value, as hex.
const padHex = (v) => {
  let h = v.toString(16);
  if (h.length % 2) h = `0${h}`;
  return /^[89a-f]/.test(h) ? `00${h}` : h;
};
const hashInt = (hex) => BigInt(`0x${toHex(sha256(fromHex(hex)))}`);
const K = hashInt(padHex(N) + padHex(G));

// --- the client's SRP work ---------------------------------------------
// clientKey(modPow, {aHex, salt, B, pool, user, password}) -> {A, key}, all hex.
export function clientKey(modPow, { aHex, salt, B, pool, user, password }) {
  const a = BigInt(`0x${aHex}`);
  const b = BigInt(`0x${B}`);
  if (b % N === 0n) throw new Error('B is 0 mod N');
  const A = modPow(G, a, N);
  const u = hashInt(padHex(A) + padHex(b));
  if (u === 0n) throw new Error('u is 0');
  const inner = toHex(sha256(utf8(`${pool}${user}:${password}`)));
  const x = hashInt(padHex(BigInt(`0x${salt}`)) + inner);
  const base = (((b - K * modPow(G, x, N)) % N) + N) % N;
  const S = modPow(base, a + u * x, N);
  const prk = hmac(fromHex(padHex(u)), fromHex(padHex(S)));
  const key = hmac(prk, concat(utf8('Caldera Derived Key'), Uint8Array.of(1))).slice(0, 16);
  return { A: A.toString(16), key: toHex(key) };
}
