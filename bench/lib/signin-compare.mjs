// signin-compare.mjs: what the two browser sign-in benches
// (signin-bench-browser.mjs, signin-device-bench-browser.mjs) share: the
// files their page loads, and the report of cognito-wasm next to
// amazon-cognito-identity-js from the page's {times, fetches} per side.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// pageFiles(page, awsDist, dist): the file table for runInChromium: the page
// at /, identity-js's bundle at /aws.js and build/dist's files under /dist/.
export function pageFiles(page, awsDist, dist) {
  return {
    '/': ['text/html; charset=utf-8', () => page],
    '/aws.js': ['text/javascript', () => readFileSync(awsDist)],
    '/dist/cognito-wasm.js': ['text/javascript', () => readFileSync(join(dist, 'cognito-wasm.js'))],
    '/dist/wasm_exec.js': ['text/javascript', () => readFileSync(join(dist, 'wasm_exec.js'))],
    '/dist/cognito-wasm.wasm': ['application/wasm', () => readFileSync(join(dist, 'cognito-wasm.wasm'))],
  };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p10: q(0.1), p90: q(0.9), mean: s.reduce((a, b) => a + b, 0) / s.length };
};
const ms = (x) => x.toFixed(1).padStart(7) + ' ms';

// printComparison(out, awsVersion): prints the two sides' times, their ratio,
// and where the time goes: waiting on fetch (emulator and loopback) and the
// rest (the client's own work, its event-loop turns), medians per sign-in.
// Returns the stats: w, a (times), wf, af (in fetch), wo, ao (the rest).
export function printComparison(out, awsVersion) {
  const w = stats(out.times.wasm);
  const a = stats(out.times.aws);
  console.log(`  cognito-wasm                        median ${ms(w.median)}  p10 ${ms(w.p10)}  p90 ${ms(w.p90)}  mean ${ms(w.mean)}`);
  console.log(`  amazon-cognito-identity-js ${awsVersion.padEnd(8)} median ${ms(a.median)}  p10 ${ms(a.p10)}  p90 ${ms(a.p90)}  mean ${ms(a.mean)}`);
  console.log(`  ratio cognito-wasm / amazon-cognito-identity-js: median ${(w.median / a.median).toFixed(3)}x, mean ${(w.mean / a.mean).toFixed(3)}x`);
  const own = (side) => stats(out.times[side].map((t, i) => t - out.fetches[side][i]));
  const wf = stats(out.fetches.wasm), af = stats(out.fetches.aws), wo = own('wasm'), ao = own('aws');
  console.log(`  in fetch (emulator + loopback): cognito-wasm median ${ms(wf.median)}, amazon-cognito-identity-js ${ms(af.median)}`);
  console.log(`  the rest (client work, event loop): cognito-wasm median ${ms(wo.median)}, amazon-cognito-identity-js ${ms(ao.median)}`);
  return { w, a, wf, af, wo, ao };
}
