// signin-device-bench-browser.mjs: submit-to-tokens time of one sign-in with
// a remembered device in headless Chromium: USER_SRP_AUTH, PASSWORD_VERIFIER,
// then DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER (two SRP computations),
// cognito-wasm (createAuth over a storage holding the device, signIn) next to
// amazon-cognito-identity-js (CognitoUser.authenticateUser with the device
// keys in its Storage), both in the same page against one local emulator.
// The pool remembers every confirmed device ("Always remember"); each side
// has its own user and storage, and a first, untimed sign-in per side
// confirms the device. The two then alternate, as in signin-bench-browser.mjs.
// Every timed sign-in must have answered DEVICE_SRP_AUTH and
// DEVICE_PASSWORD_VERIFIER (read from the requests) and its access token
// must name the side's device: otherwise the bench fails, naming what it saw.
// A report, not a test: nothing here asserts a time.
//
// Needs `make build` (build/dist, bin/cognito-emulator) and e2e/reference's
// node_modules (`make node-deps`).
//
// usage: node bench/signin-device-bench-browser.mjs [--dist build/dist] [--emulator bin/cognito-emulator]
//        [--n 20] [--warmup 3] [--idle 100] [--chromium /usr/bin/chromium]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { startEmulator } from './lib/emulator.mjs';
import { record } from './lib/results.mjs';
import { pageFiles, printComparison } from './lib/signin-compare.mjs';
import { runInChromium } from './page-harness.mjs';

const root = new URL('..', import.meta.url).pathname;
const { values: opts } = parseArgs({
  options: {
    dist: { type: 'string', default: join(root, 'build/dist') },
    emulator: { type: 'string', default: join(root, 'bin/cognito-emulator') },
    n: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    idle: { type: 'string', default: '100' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
});
const n = Number(opts.n);
const warmup = Number(opts.warmup);
const idle = Number(opts.idle);
if (!(n >= 1) || !(warmup >= 0) || !(idle >= 0)) {
  console.error('usage: node bench/signin-device-bench-browser.mjs [--dist DIR] [--emulator PATH] [--n 20] [--warmup 3] [--idle MS] [--chromium PATH]');
  process.exit(2);
}

const require = createRequire(new URL('../e2e/reference/package.json', import.meta.url));
const awsDist = require.resolve('amazon-cognito-identity-js/dist/amazon-cognito-identity.min.js');
const awsVersion = require('amazon-cognito-identity-js/package.json').version;

// A pool with DeviceConfiguration that remembers every confirmed device, no
// MFA, one user per side.
const target = {
  userPoolId: 'us-east-1_benchDev01', clientId: 'benchdeviceclient000000001',
  users: { wasm: 'dev-wasm', aws: 'dev-aws' }, password: 'Dev1ce-Passw0rd!',
};
const dir = mkdtempSync(join(tmpdir(), 'signin-device-bench-'));
const seedFile = join(dir, 'seed.json');
writeFileSync(seedFile, JSON.stringify({
  userPools: [{
    id: target.userPoolId, name: 'bench-devices',
    deviceConfiguration: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: false },
    clients: [{ id: target.clientId, name: 'bench-devices-web', explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }],
    users: Object.values(target.users).map((username) => ({ username, password: target.password })),
  }],
}));

let emu;
try {
  emu = await startEmulator({ bin: opts.emulator, seed: seedFile });
} catch (e) {
  rmSync(dir, { recursive: true, force: true });
  throw e;
}
const endpoint = emu.endpoint;

const page = `<!doctype html>
<meta charset="utf-8"><title>device sign-in bench</title>
<script src="/aws.js"></script>
<script type="module">
import { createAuth } from '/dist/cognito-wasm.js';
const post = (body) => fetch('/result', { method: 'POST', body: JSON.stringify(body) });
const t = ${JSON.stringify(target)};
const endpoint = ${JSON.stringify(endpoint)};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Time spent waiting on fetch, and the challenges answered (the bodies are
// kept and read after the sign-in, outside its time).
let inFetch = 0;
let bodies = [];
const origFetch = globalThis.fetch;
globalThis.fetch = async function (...args) {
  const init = args[1];
  // cognito-wasm sends a Uint8Array (copied here: decoded later), identity-js a string.
  if (init && init.body != null) bodies.push(typeof init.body === 'string' ? init.body : init.body.slice());
  const t0 = performance.now();
  try {
    return await origFetch.apply(this, args);
  } finally {
    inFetch += performance.now() - t0;
  }
};
const utf8 = new TextDecoder();
const challenges = (bs) => bs.map((b) => { try { return JSON.parse(typeof b === 'string' ? b : utf8.decode(b)).ChallengeName; } catch { return undefined; } }).filter(Boolean);
const claims = (jwt) => JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
class MapStorage {
  m = new Map();
  setItem(k, v) { this.m.set(k, String(v)); }
  getItem(k) { return this.m.has(k) ? this.m.get(k) : null; }
  removeItem(k) { this.m.delete(k); }
  clear() { this.m.clear(); }
}
const deviceKeyIn = (storage, username) => storage.getItem('CognitoIdentityServiceProvider.' + t.clientId + '.' + username + '.deviceKey');
try {
  const wasmStorage = new MapStorage();
  const awsStorage = new MapStorage();
  const auth = await createAuth({ userPoolId: t.userPoolId, clientId: t.clientId, endpoint, storage: wasmStorage });
  const awsPool = new AmazonCognitoIdentity.CognitoUserPool({ UserPoolId: t.userPoolId, ClientId: t.clientId, endpoint, Storage: awsStorage });
  // Each side signs in and resolves with [ms, access token].
  const sides = {
    async wasm() {
      const t0 = performance.now();
      const r = await auth.signIn({ username: t.users.wasm, password: t.password });
      const dt = performance.now() - t0;
      if (!r.isSignedIn || !r.tokens) throw new Error('cognito-wasm: not signed in: ' + JSON.stringify(r.nextStep));
      return [dt, r.tokens.accessToken.toString()];
    },
    aws() {
      return new Promise((resolve, reject) => {
        const t0 = performance.now();
        const u = new AmazonCognitoIdentity.CognitoUser({ Username: t.users.aws, Pool: awsPool, Storage: awsStorage });
        u.authenticateUser(new AmazonCognitoIdentity.AuthenticationDetails({ Username: t.users.aws, Password: t.password }), {
          onSuccess: (s) => { const dt = performance.now() - t0; s.getIdToken().getJwtToken() ? resolve([dt, s.getAccessToken().getJwtToken()]) : reject(new Error('aws: no id token')); },
          onFailure: (e) => reject(e),
          mfaRequired: () => reject(new Error('aws: MFA asked')),
          newPasswordRequired: () => reject(new Error('aws: new password asked')),
        });
      });
    },
  };
  // The untimed first sign-ins: each client confirms its new device, which
  // the pool remembers at once.
  const firstSeen = {};
  for (const side of ['wasm', 'aws']) {
    bodies = [];
    await sides[side]();
    firstSeen[side] = challenges(bodies);
  }
  const device = { wasm: deviceKeyIn(wasmStorage, t.users.wasm), aws: deviceKeyIn(awsStorage, t.users.aws) };
  for (const side of ['wasm', 'aws']) {
    if (!device[side]) throw new Error(side + ': no device kept after the first sign-in (challenges ' + firstSeen[side].join(',') + '; storage keys ' + [...(side === 'wasm' ? wasmStorage : awsStorage).m.keys()].join(' ') + ')');
  }
  const times = { wasm: [], aws: [] };
  const fetches = { wasm: [], aws: [] };
  for (let i = 0; i < ${warmup} + ${n}; i++) {
    const order = i % 2 ? ['aws', 'wasm'] : ['wasm', 'aws'];
    for (const side of order) {
      await sleep(${idle});
      inFetch = 0;
      bodies = [];
      const [dt, access] = await sides[side]();
      const f = inFetch;
      const seen = challenges(bodies).join(',');
      if (seen !== 'PASSWORD_VERIFIER,DEVICE_SRP_AUTH,DEVICE_PASSWORD_VERIFIER') throw new Error(side + ': sign-in ' + i + ' answered ' + (seen || 'no challenge') + ', not PASSWORD_VERIFIER,DEVICE_SRP_AUTH,DEVICE_PASSWORD_VERIFIER');
      const dk = claims(access).device_key;
      if (dk !== device[side]) throw new Error(side + ': sign-in ' + i + ' access token device_key ' + dk + ', kept device ' + device[side]);
      if (i >= ${warmup}) {
        times[side].push(dt);
        fetches[side].push(f);
      }
    }
  }
  await post({ ok: true, times, fetches, ua: navigator.userAgent });
} catch (e) {
  await post({ ok: false, error: String((e && e.stack) || e) });
}
</script>`;

const files = pageFiles(page, awsDist, opts.dist);

let rc = 0;
try {
  const load0 = loadavg()[0];
  const out = await runInChromium({ chromium: opts.chromium, files, name: 'signin-device-bench' });
  if (!out.ok) throw new Error(`in the page: ${out.error}`);
  const load1 = loadavg()[0];
  const version = /Chrom(?:e|ium)\/[\d.]+/.exec(out.ua)?.[0] ?? out.ua;
  console.log(`remembered device (USER_SRP_AUTH + DEVICE_SRP_AUTH) submit to tokens, headless ${version}, local emulator, n=${n} each (warmup ${warmup}, ${idle} ms idle before each)`);
  const { w, a, wf, af, wo, ao } = printComparison(out, awsVersion);
  console.log(`  load average ${load0.toFixed(2)} -> ${load1.toFixed(2)}`);
  const ratio = w.median / a.median;
  record({
    target: '2', figure: 'remembered-device sign-in (USER_SRP_AUTH + DEVICE_SRP_AUTH) submit to tokens, Chromium, vs amazon-cognito-identity-js',
    value: +w.median.toFixed(1), unit: 'ms', reference: +a.median.toFixed(1), ratio: +ratio.toFixed(3), goal: '<= 0.15x', met: ratio <= 0.15,
    note: `medians of ${n}, every sign-in checked to answer DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER with the device_key in its token, local emulator, load average ${load0.toFixed(1)} -> ${load1.toFixed(1)}; in fetch ${wf.median.toFixed(1)} vs ${af.median.toFixed(1)} ms, the rest ${wo.median.toFixed(1)} vs ${ao.median.toFixed(1)} ms`,
  });
} catch (e) {
  console.error(`signin-device-bench-browser: ${e.message}`);
  rc = 1;
} finally {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(rc);
