// srp-bench.mjs: the client's SRP work for one Cognito sign-in (A = g^a, then
// u, x, S and the HKDF key) done by this project's Go srp package compiled to
// wasm, next to amazon-cognito-identity-js's AuthenticationHelper, on the same
// values in the same Node process. It first checks that both compute the same
// A and key (and that the key is the Go server's), and exits non-zero if not.
//
// usage: node bench/srp-bench.mjs --wasm PATH/srpbench.wasm [--n 20] [--warmup 3]
//   the wasm is `GOOS=js GOARCH=wasm go build ./bench/srpwasm`; bench/run.sh does all of it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import vm from 'node:vm';

const { values: opts } = parseArgs({
  options: {
    wasm: { type: 'string' },
    n: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
  },
});
if (!opts.wasm) {
  console.error('usage: node bench/srp-bench.mjs --wasm PATH/srpbench.wasm [--n 20] [--warmup 3]');
  process.exit(2);
}
const N = Number(opts.n);
const WARMUP = Number(opts.warmup);
if (!(N >= 1 && WARMUP >= 0)) {
  console.error('srp-bench: --n must be >= 1 and --warmup >= 0');
  process.exit(2);
}

// AWS's helper, from the pinned package in e2e/reference (its CommonJS build).
const require = createRequire(new URL('../e2e/reference/package.json', import.meta.url));
const AuthenticationHelper = require('amazon-cognito-identity-js/lib/AuthenticationHelper').default;
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger').default;
const awsVersion = require('amazon-cognito-identity-js/package.json').version;

// The toolchain's own wasm_exec.js, unmodified.
const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
vm.runInThisContext(readFileSync(join(goroot, 'lib', 'wasm', 'wasm_exec.js'), 'utf8'));
const go = new globalThis.Go();
const { instance } = await WebAssembly.instantiate(readFileSync(opts.wasm), go.importObject);
go.run(instance); // runs main until it blocks; the namespace is registered by then
const goSrp = globalThis.cognitoSrpBench;
if (!goSrp || typeof goSrp.client !== 'function') {
  console.error('srp-bench: the wasm did not register cognitoSrpBench');
  process.exit(1);
}

const POOL = 'cwDemo001';
const USER = '7d1b2c9e-5f0a-4a8e-9b1e-3c2d4e5f6a7b'; // USER_ID_FOR_SRP
const PASSWORD = 'Passw0rd!Démo-🔑';
const keyHex = (k) => Buffer.from(k).toString('hex');
// Java toByteArray() needs a sign byte: the even-length hex starts with 8-f.
const topBitSet = (h) => /^[89a-f]/i.test(h.length % 2 ? `0${h}` : h);

function goClient(aHex, c) {
  const r = goSrp.client(aHex, c.salt, c.B, POOL, USER, PASSWORD);
  if (r.error) throw new Error(r.error);
  return r;
}

function goServer(A) {
  const r = goSrp.server(POOL, USER, PASSWORD, A);
  if (r.error) throw new Error(r.error);
  return r;
}

// awsKey runs the helper's getPasswordAuthenticationKey (u, x, S, HKDF).
function awsKey(helper, c) {
  let out;
  helper.getPasswordAuthenticationKey(USER, PASSWORD, new BigInteger(c.B, 16), new BigInteger(c.salt, 16),
    (err, key) => {
      if (err) throw err;
      out = key;
    });
  return keyHex(out);
}

// awsWithA is AWS's helper made to use our a: the constructor draws its own
// 128-byte a and computes A; we replace smallAValue and recompute largeAValue
// through its own getLargeAValue, so A = g^a is timed in the helper's code.
function awsWithA(helper, aHex, c) {
  helper.smallAValue = new BigInteger(aHex, 16);
  helper.largeAValue = undefined;
  let A;
  helper.getLargeAValue((err, v) => {
    if (err) throw err;
    A = v;
  });
  return { A: A.toString(16), key: awsKey(helper, c) };
}

function fail(msg) {
  console.error(`srp-bench: MISMATCH: ${msg}`);
  process.exit(1);
}

// Cases with a fresh 32-byte a each; keep drawing until both Java padding
// edges of A and of B have been seen, so the agreement check covers them.
const cases = [];
const seen = { aTop: 0, aPlain: 0, bTop: 0, bPlain: 0 };
for (let i = 0; i < 64 && (cases.length < 8 || Object.values(seen).some((v) => v === 0)); i++) {
  const aHex = randomBytes(32).toString('hex');
  const probe = goClient(aHex, { salt: 'ab', B: '02' }); // A only; the key is discarded
  const srv = goServer(probe.A);
  const c = { aHex, A: probe.A, salt: srv.salt, B: srv.B, serverKey: srv.key };
  const g = goClient(aHex, c);
  const w = awsWithA(new AuthenticationHelper(POOL), aHex, c);
  if (g.A !== c.A || w.A !== c.A) fail(`A: go ${g.A.slice(0, 16)}… aws ${w.A.slice(0, 16)}…`);
  if (g.key !== c.serverKey) fail(`Go wasm key ${g.key} != Go server key ${c.serverKey}`);
  if (w.key !== c.serverKey) fail(`AWS helper key ${w.key} != Go server key ${c.serverKey} (Go wasm ${g.key})`);
  seen[topBitSet(c.A) ? 'aTop' : 'aPlain']++;
  seen[topBitSet(c.B) ? 'bTop' : 'bPlain']++;
  cases.push(c);
}
if (Object.values(seen).some((v) => v === 0)) fail(`padding edges not all covered: ${JSON.stringify(seen)}`);

// AWS's helper as its client really runs it: its own 128-byte a.
for (let i = 0; i < 4; i++) {
  const h = new AuthenticationHelper(POOL);
  const A = h.largeAValue.toString(16);
  const srv = goServer(A);
  const k = awsKey(h, { salt: srv.salt, B: srv.B });
  if (k !== srv.key) fail(`AWS helper (own 128-byte a) key ${k} != Go server key ${srv.key}`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// time runs the two bodies interleaved, so drift in the machine hits both.
function time(label, awsBody, goBody) {
  const t = { aws: [], go: [] };
  for (let i = 0; i < WARMUP + N; i++) {
    const c = cases[i % cases.length];
    for (const [k, body] of i % 2 ? [['go', goBody], ['aws', awsBody]] : [['aws', awsBody], ['go', goBody]]) {
      const prep = body.prep ? body.prep(c) : undefined;
      const t0 = performance.now();
      body.run(c, prep);
      const dt = performance.now() - t0;
      if (i >= WARMUP) t[k].push(dt);
    }
  }
  return { label, aws: median(t.aws), go: median(t.go) };
}

const sameA = time('same 32-byte a, salt and B',
  { prep: () => new AuthenticationHelper(POOL), run: (c, h) => awsWithA(h, c.aHex, c) },
  { run: (c) => goClient(c.aHex, c) });

const asShipped = time("each with its own a, as shipped",
  { run: (c) => awsKey(new AuthenticationHelper(POOL), c) },
  { run: (c) => goClient(randomBytes(32).toString('hex'), c) });

const ms = (v) => `${v.toFixed(1)} ms/op`;
console.log(`SRP client work per sign-in (A, u, x, S, HKDF key); Node ${process.version}, ` +
  `amazon-cognito-identity-js ${awsVersion}; medians of ${N} interleaved runs after ${WARMUP} warm-up`);
console.log(`  checked: Go wasm and AWS helper agree with the Go server's key on ${cases.length} cases ` +
  `(A top bit set ${seen.aTop}x, B top bit set ${seen.bTop}x)`);
console.log(`  ${sameA.label}:       AWS AuthenticationHelper ${ms(sameA.aws)} | Go wasm ${ms(sameA.go)} | ` +
  `ratio ${(sameA.aws / sameA.go).toFixed(1)}x`);
console.log(`  ${asShipped.label}: AWS AuthenticationHelper (128-byte a) ${ms(asShipped.aws)} | ` +
  `Go wasm (32-byte a) ${ms(asShipped.go)} | ratio ${(asShipped.aws / asShipped.go).toFixed(1)}x`);
process.exit(0);
