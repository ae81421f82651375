// srp-bench.mjs: the client's SRP work for one Cognito sign-in done by this
// project's Go srp package compiled to wasm, next to amazon-cognito-identity-js's
// AuthenticationHelper, on the same values in the same Node process. Exits
// non-zero if the two (and the Go server) do not derive the same key.
//
// usage: node bench/srp-bench.mjs --wasm PATH/srpbench.wasm [--n 20] [--warmup 3] [--native PATH]
//   (--native: bench/srpnative built, run between the wasm's runs; with BENCH_RESULTS set, figures go there too)
//   the wasm is `GOOS=js GOARCH=wasm go build ./bench/srpwasm`; bench/run.sh does all of it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import vm from 'node:vm';

import { record } from './lib/results.mjs';
import { formatReport, recordFigures, runBench } from './srp-core.mjs';

const { values: opts } = parseArgs({
  options: {
    wasm: { type: 'string' },
    n: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    native: { type: 'string' }, // bench/srpnative built, for the figure against native Go
  },
});
// nativeMs runs bench/srpnative (--native) for one timed client computation
// after one untimed, and returns the milliseconds it measured.
const nativeMs = opts.native ? () => {
  const ms = JSON.parse(execFileSync(opts.native, ['-n', '1', '-warmup', '1'], { encoding: 'utf8' })).ms;
  if (!(ms > 0)) throw new Error(`${opts.native} printed no figure`);
  return ms;
} : undefined;
const n = Number(opts.n);
const warmup = Number(opts.warmup);
if (!opts.wasm || !(n >= 1) || !(warmup >= 0)) {
  console.error('usage: node bench/srp-bench.mjs --wasm PATH/srpbench.wasm [--n 20 (>= 1)] [--warmup 3]');
  process.exit(2);
}

// AWS's helper, from the pinned package in e2e/reference (its CommonJS build).
const require = createRequire(new URL('../e2e/reference/package.json', import.meta.url));
const AuthenticationHelper = require('amazon-cognito-identity-js/lib/AuthenticationHelper').default;
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

try {
  const r = runBench({ goSrp, AuthenticationHelper, randomBytes, now: () => performance.now(), n, warmup, native: nativeMs });
  console.log(formatReport(r, `Node ${process.version}, amazon-cognito-identity-js ${awsVersion}`));
  recordFigures(record, r, 'Node');
} catch (e) {
  console.error(`srp-bench: ${e.message}`);
  process.exit(1);
}
process.exit(0);
