// page-harness.mjs: what the browser benches share. It serves a page and its
// files on loopback, opens the page in headless Chromium (with the flags this
// machine needs and a fresh profile), and returns the JSON the page POSTs to
// /result. Chromium, the server and the profile are gone when it returns.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// runInChromium serves files ({path: [contentType, () => body]}) and resolves
// with the page's result, or rejects when Chromium exits first or the page
// does not report within timeoutMs. args are extra Chromium flags (the memory
// bench adds --js-flags=--expose-gc and --enable-precise-memory-info).
export async function runInChromium({ chromium: chromiumPath, files, name, timeoutMs = 600_000, args = [] }) {
  let settle;
  const result = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/result') {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        res.end('ok');
        try {
          settle.resolve(JSON.parse(body));
        } catch (e) {
          settle.reject(e);
        }
      });
      return;
    }
    const f = files[req.url];
    if (req.method !== 'GET' || !f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': f[0], 'Cache-Control': 'no-store' }).end(f[1]());
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;

  const profile = await mkdtemp(join(tmpdir(), `${name}-chromium-`));
  const chromium = spawn(chromiumPath, [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', `--user-data-dir=${profile}`, ...args, url,
  ], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let chromiumErr = '';
  chromium.stderr.on('data', (d) => { chromiumErr += d; });
  chromium.once('exit', (code) => settle.reject(new Error(`chromium exited (${code}) before the bench finished:\n${chromiumErr}`)));
  const timer = setTimeout(() => settle.reject(new Error(`the page did not report within ${timeoutMs / 1000} s`)), timeoutMs);
  try {
    return await result;
  } finally {
    clearTimeout(timer);
    chromium.removeAllListeners('exit');
    if (chromium.exitCode === null && chromium.signalCode === null) {
      const exited = new Promise((r) => chromium.once('exit', r));
      process.kill(-chromium.pid, 'SIGTERM'); // the process group of the Chromium started above
      await exited;
    }
    server.close();
    await rm(profile, { recursive: true, force: true });
  }
}
