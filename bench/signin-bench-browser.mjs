// signin-bench-browser.mjs: submit-to-tokens time of one USER_SRP_AUTH
// sign-in in headless Chromium, cognito-wasm (createAuth + signIn) next to
// amazon-cognito-identity-js (CognitoUser.authenticateUser, its browser
// build), both in the same page against one local emulator. The two
// alternate (which goes first swaps each round) and the page idles between
// sign-ins as a person would, so each client may prepare what it prepares
// ahead. A report, not a test: nothing here asserts a time.
//
// Needs `make build` (build/dist, bin/cognito-emulator) and e2e/reference's
// node_modules (`make node-deps`).
//
// usage: node bench/signin-bench-browser.mjs [--dist build/dist] [--emulator bin/cognito-emulator]
//        [--seed demo/seed.json] [--n 30] [--warmup 3] [--idle 100] [--chromium /usr/bin/chromium]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
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
    seed: { type: 'string', default: join(root, 'demo/seed.json') },
    n: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    idle: { type: 'string', default: '100' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
});
const n = Number(opts.n);
const warmup = Number(opts.warmup);
const idle = Number(opts.idle);
if (!(n >= 1) || !(warmup >= 0) || !(idle >= 0)) {
  console.error('usage: node bench/signin-bench-browser.mjs [--dist DIR] [--emulator PATH] [--seed FILE] [--n 30] [--warmup 3] [--idle MS] [--chromium PATH]');
  process.exit(2);
}

const require = createRequire(new URL('../e2e/reference/package.json', import.meta.url));
const awsDist = require.resolve('amazon-cognito-identity-js/dist/amazon-cognito-identity.min.js');
const awsVersion = require('amazon-cognito-identity-js/package.json').version;

// The first pool of the seed and its first user that signs in at once.
const seed = JSON.parse(readFileSync(opts.seed, 'utf8'));
const pool = seed.userPools[0];
const user = pool.users.find((u) => u.username === 'alice') ?? pool.users[0];
const target = { userPoolId: pool.id, clientId: pool.clients[0].id, username: user.username, password: user.password };

// The emulator, on a free port.
const emu = await startEmulator({ bin: opts.emulator, seed: opts.seed });
const endpoint = emu.endpoint;

const page = `<!doctype html>
<meta charset="utf-8"><title>sign-in bench</title>
<script src="/aws.js"></script>
<script type="module">
import { createAuth } from '/dist/cognito-wasm.js';
const post = (body) => fetch('/result', { method: 'POST', body: JSON.stringify(body) });
const t = ${JSON.stringify(target)};
const endpoint = ${JSON.stringify(endpoint)};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Time spent waiting on fetch (the emulator and loopback), per sign-in: the
// rest of submit-to-tokens is the client's own work and event-loop turns.
let inFetch = 0;
const origFetch = globalThis.fetch;
globalThis.fetch = async function (...args) {
  const t0 = performance.now();
  try {
    return await origFetch.apply(this, args);
  } finally {
    inFetch += performance.now() - t0;
  }
};
try {
  const auth = await createAuth({ userPoolId: t.userPoolId, clientId: t.clientId, endpoint });
  const awsPool = new AmazonCognitoIdentity.CognitoUserPool({ UserPoolId: t.userPoolId, ClientId: t.clientId, endpoint });
  const sides = {
    async wasm() {
      const t0 = performance.now();
      const r = await auth.signIn({ username: t.username, password: t.password });
      const dt = performance.now() - t0;
      if (!r.isSignedIn || !r.tokens) throw new Error('cognito-wasm: not signed in: ' + JSON.stringify(r.nextStep));
      return dt;
    },
    aws() {
      return new Promise((resolve, reject) => {
        const t0 = performance.now();
        const u = new AmazonCognitoIdentity.CognitoUser({ Username: t.username, Pool: awsPool });
        u.authenticateUser(new AmazonCognitoIdentity.AuthenticationDetails({ Username: t.username, Password: t.password }), {
          onSuccess: (s) => { const dt = performance.now() - t0; s.getIdToken().getJwtToken() ? resolve(dt) : reject(new Error('aws: no id token')); },
          onFailure: (e) => reject(e),
          mfaRequired: () => reject(new Error('aws: MFA asked')),
          newPasswordRequired: () => reject(new Error('aws: new password asked')),
        });
      });
    },
  };
  const times = { wasm: [], aws: [] };
  const fetches = { wasm: [], aws: [] };
  for (let i = 0; i < ${warmup} + ${n}; i++) {
    const order = i % 2 ? ['aws', 'wasm'] : ['wasm', 'aws'];
    for (const side of order) {
      await sleep(${idle});
      inFetch = 0;
      const dt = await sides[side]();
      if (i >= ${warmup}) {
        times[side].push(dt);
        fetches[side].push(inFetch);
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
  const out = await runInChromium({ chromium: opts.chromium, files, name: 'signin-bench' });
  if (!out.ok) throw new Error(`in the page: ${out.error}`);
  const version = /Chrom(?:e|ium)\/[\d.]+/.exec(out.ua)?.[0] ?? out.ua;
  console.log(`USER_SRP_AUTH submit to tokens, headless ${version}, local emulator, n=${n} each (warmup ${warmup}, ${idle} ms idle before each)`);
  const { w, a, wf, af, wo, ao } = printComparison(out, awsVersion);
  const ratio = w.median / a.median;
  record({
    target: '2', figure: 'USER_SRP_AUTH submit to tokens, Chromium, vs amazon-cognito-identity-js', value: +w.median.toFixed(1), unit: 'ms',
    reference: +a.median.toFixed(1), ratio: +ratio.toFixed(3), goal: '<= 0.15x', met: ratio <= 0.15,
    note: `medians of ${n}, local emulator, load average ${loadavg()[0].toFixed(1)} (the ratio moves with the machine's load); in fetch ${wf.median.toFixed(1)} vs ${af.median.toFixed(1)} ms, the rest ${wo.median.toFixed(1)} vs ${ao.median.toFixed(1)} ms`,
  });
} catch (e) {
  console.error(`signin-bench-browser: ${e.message}`);
  rc = 1;
} finally {
  await emu.stop();
}
process.exit(rc);
