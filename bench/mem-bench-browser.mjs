// mem-bench-browser.mjs: cognito-wasm's memory over many sign-ins in one
// headless Chromium page, against a local emulator (issue 6, target 5).
//   1. After a warm-up, N sequential USER_SRP_AUTH sign-ins on one client:
//      growth of the wasm memory and of the JS heap (after a full GC of
//      each), and the module's live js.Funcs and goroutines before and after
//      (cognitoWasm.stats(), a diagnostic).
//   2. Then C sign-ins at once on the same client: the wasm memory at its
//      peak (it only grows, so its size once all have settled), and how many
//      did not end signed in with their own user's tokens.
// The wasm memory is read from the instance the loader makes (the page
// wraps WebAssembly.instantiateStreaming to keep it); the JS heap is
// performance.memory.usedJSHeapSize with precise figures and gc() exposed.
// A report, not a test: it records its figures (bench/lib/results.mjs) and
// asserts nothing.
//
// Needs `make build` (build/dist, bin/cognito-emulator).
//
// usage: node bench/mem-bench-browser.mjs [--dist build/dist] [--emulator bin/cognito-emulator]
//        [--sequential 1000] [--concurrent 1000] [--warmup 50] [--chromium /usr/bin/chromium]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { startEmulator } from './lib/emulator.mjs';
import { record } from './lib/results.mjs';
import { runInChromium } from './page-harness.mjs';

const root = new URL('..', import.meta.url).pathname;
const { values: opts } = parseArgs({
  options: {
    dist: { type: 'string', default: join(root, 'build/dist') },
    emulator: { type: 'string', default: join(root, 'bin/cognito-emulator') },
    sequential: { type: 'string', default: '1000' },
    concurrent: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '50' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
});
const sequential = Number(opts.sequential);
const concurrent = Number(opts.concurrent);
const warmup = Number(opts.warmup);
if (!(sequential >= 1) || !(concurrent >= 1) || !(warmup >= 0)) {
  console.error('usage: node bench/mem-bench-browser.mjs [--dist DIR] [--emulator PATH] [--sequential N] [--concurrent N] [--warmup N] [--chromium PATH]');
  process.exit(2);
}

// A pool of 50 users that sign in at once (no MFA), as e2e's load test has.
const pool = { id: 'us-east-1_cwMemBench1', client: 'cognitowasmmembenchclient1', password: 'Mem-Bench-Passw0rd!', users: 50 };
const seed = {
  userPools: [{
    id: pool.id, name: 'mem-bench',
    clients: [{ id: pool.client, name: 'mem-bench-web', explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }],
    users: Array.from({ length: pool.users }, (_, i) => ({ username: `mem${String(i).padStart(2, '0')}`, password: pool.password })),
  }],
};

const page = (endpoint) => `<!doctype html>
<meta charset="utf-8"><title>memory bench</title>
<script type="module">
const post = (body) => fetch('/result', { method: 'POST', body: JSON.stringify(body) });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Keep the Go instance's memory: the loader does not hand it out.
let mem = null;
for (const name of ['instantiateStreaming', 'instantiate']) {
  const orig = WebAssembly[name];
  WebAssembly[name] = async function (...args) {
    const r = await orig.apply(this, args);
    const inst = r instanceof WebAssembly.Instance ? r : r.instance;
    if (!mem && inst) mem = inst.exports.mem;
    return r;
  };
}
const pool = ${JSON.stringify(pool)};
const endpoint = ${JSON.stringify(endpoint)};
const user = (i) => 'mem' + String(i % pool.users).padStart(2, '0');
const claims = (jwt) => JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
// why(r, name) says what is wrong with a sign-in's outcome, or '' when it
// signed in with name's own tokens.
const why = (r, name) => {
  if (r.status === 'rejected') return (r.reason && r.reason.name) + ': ' + (r.reason && r.reason.message);
  const v = r.value;
  if (!v.isSignedIn || v.nextStep.signInStep !== 'DONE') return 'not signed in: ' + JSON.stringify(v.nextStep);
  if (!v.tokens || claims(v.tokens.accessToken).username !== name) return 'tokens of another user';
  return '';
};
// snapshot: after the client's background ephemeral build has ended and a
// full GC on both sides.
async function snapshot() {
  await sleep(500);
  gc();
  const s = globalThis.cognitoWasm.stats({ gc: true });
  return { wasmBytes: mem.buffer.byteLength, jsHeap: performance.memory.usedJSHeapSize, ...s };
}
try {
  if (typeof gc !== 'function') throw new Error('gc() is not exposed (--js-flags=--expose-gc)');
  const { createAuth } = await import('/dist/cognito-wasm.js');
  const auth = await createAuth({ userPoolId: pool.id, clientId: pool.client, endpoint });
  if (!mem) throw new Error('the wasm instance was not seen');
  const signIn = async (i) => {
    const name = user(i);
    const [r] = await Promise.allSettled([auth.signIn({ username: name, password: pool.password })]);
    const w = why(r, name);
    if (w) throw new Error('sign-in ' + i + ' failed: ' + w);
  };
  for (let i = 0; i < ${warmup}; i++) await signIn(i);
  const before = await snapshot();
  const t0 = performance.now();
  for (let i = 0; i < ${sequential}; i++) await signIn(i);
  const seqMs = performance.now() - t0;
  const after = await snapshot();

  const names = Array.from({ length: ${concurrent} }, (_, i) => user(i));
  let peak = mem.buffer.byteLength;
  const poll = setInterval(() => { peak = Math.max(peak, mem.buffer.byteLength); }, 50);
  const t1 = performance.now();
  const results = await Promise.allSettled(names.map((username) => auth.signIn({ username, password: pool.password })));
  const conMs = performance.now() - t1;
  clearInterval(poll);
  peak = Math.max(peak, mem.buffer.byteLength);
  const failures = {};
  let lost = 0;
  results.forEach((r, i) => {
    const w = why(r, names[i]);
    if (w) { lost++; failures[w] = (failures[w] || 0) + 1; }
  });
  const settled = await snapshot();
  await post({ ok: true, before, after, seqMs, peak, lost, failures, conMs, settled, ua: navigator.userAgent });
} catch (e) {
  await post({ ok: false, error: String((e && e.stack) || e) });
}
</script>`;

const MB = 1024 * 1024;
const mb = (b) => b / MB;
const tmp = await mkdtemp(join(tmpdir(), 'mem-bench-'));
let rc = 0;
let emu;
try {
  const seedFile = join(tmp, 'seed.json');
  await writeFile(seedFile, JSON.stringify(seed));
  emu = await startEmulator({ bin: opts.emulator, seed: seedFile });
  const body = page(emu.endpoint);
  const files = {
    '/': ['text/html; charset=utf-8', () => body],
    '/dist/cognito-wasm.js': ['text/javascript', () => readFileSync(join(opts.dist, 'cognito-wasm.js'))],
    '/dist/wasm_exec.js': ['text/javascript', () => readFileSync(join(opts.dist, 'wasm_exec.js'))],
    '/dist/cognito-wasm.wasm': ['application/wasm', () => readFileSync(join(opts.dist, 'cognito-wasm.wasm'))],
  };
  const out = await runInChromium({
    chromium: opts.chromium, files, name: 'mem-bench', timeoutMs: 900_000,
    args: ['--js-flags=--expose-gc', '--enable-precise-memory-info'],
  });
  if (!out.ok) throw new Error(`in the page: ${out.error}`);
  const { before: b, after: a, settled: s } = out;
  const version = /Chrom(?:e|ium)\/[\d.]+/.exec(out.ua)?.[0] ?? out.ua;
  const row = (label, x) => `  ${label.padEnd(34)} wasm ${mb(x.wasmBytes).toFixed(1).padStart(6)} MB  JS heap ${mb(x.jsHeap).toFixed(2).padStart(6)} MB  ` +
    `Go heap ${mb(x.heapAlloc).toFixed(2).padStart(6)} MB  Go sys ${mb(x.sys).toFixed(1).padStart(6)} MB  js.Funcs ${x.jsFuncs}  goroutines ${x.goroutines}  GCs ${x.numGC}`;
  console.log(`cognito-wasm memory, headless ${version}, local emulator`);
  console.log(row(`after ${warmup} warm-up sign-ins`, b));
  console.log(row(`after ${sequential} sequential (${(out.seqMs / sequential).toFixed(1)} ms each)`, a));
  console.log(row(`after ${concurrent} concurrent (${(out.conMs / 1000).toFixed(1)} s)`, s));
  console.log(`  peak wasm memory during the concurrent sign-ins: ${mb(out.peak).toFixed(1)} MB; lost ${out.lost} of ${concurrent}` +
    (out.lost ? ` ${JSON.stringify(out.failures)}` : ''));

  const wasmGrowth = mb(a.wasmBytes - b.wasmBytes);
  const heapGrowth = mb(a.jsHeap - b.jsHeap);
  const note = `${sequential} sequential sign-ins after ${warmup} warm-up, one client, after GC`;
  record({ target: '5', figure: 'wasm memory growth over sequential sign-ins', value: +wasmGrowth.toFixed(2), unit: 'MB', reference: null, ratio: null, goal: '<= 5 MB', met: wasmGrowth <= 5, note });
  record({ target: '5', figure: 'JS heap growth over sequential sign-ins', value: +heapGrowth.toFixed(2), unit: 'MB', reference: null, ratio: null, goal: '<= 5 MB', met: heapGrowth <= 5, note });
  record({ target: '5', figure: 'live js.Funcs, after - before sequential sign-ins', value: a.jsFuncs - b.jsFuncs, unit: 'count', reference: null, ratio: null, goal: 'no growth', met: a.jsFuncs <= b.jsFuncs, note: `${b.jsFuncs} before, ${a.jsFuncs} after; ${s.jsFuncs} after the concurrent ones` });
  record({ target: '5', figure: 'goroutines, after - before sequential sign-ins', value: a.goroutines - b.goroutines, unit: 'count', reference: null, ratio: null, goal: 'no growth', met: a.goroutines <= b.goroutines, note: `${b.goroutines} before, ${a.goroutines} after; ${s.goroutines} after the concurrent ones` });
  record({ target: '5', figure: `peak wasm memory, ${concurrent} concurrent sign-ins`, value: +mb(out.peak).toFixed(1), unit: 'MB', reference: null, ratio: null, goal: '< 40 MB', met: mb(out.peak) < 40, note: `wasm memory never shrinks; ${(out.conMs / 1000).toFixed(1)} s for all` });
  record({ target: '5', figure: `sign-ins lost of ${concurrent} concurrent`, value: out.lost, unit: 'count', reference: null, ratio: null, goal: '0', met: out.lost === 0, note: out.lost ? JSON.stringify(out.failures) : 'each signed in with its own user\'s tokens' });
} catch (e) {
  console.error(`mem-bench-browser: ${e.message}`);
  rc = 1;
} finally {
  if (emu) await emu.stop();
  await rm(tmp, { recursive: true, force: true });
}
process.exit(rc);
