// Shared by the node tests that run the project's emulator as a child
// process (shim.test.mjs, account.test.mjs). No tests of its own.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";

/**
 * Spawns the emulator binary on a free port with args and returns
 * {child, endpoint}: endpoint resolves with the URL it reports listening on,
 * and rejects if it exits first or stays silent for 60s. Its request log
 * (stderr) is kept, bounded, for that failure message, not printed.
 */
export function startEmulator(bin, args) {
  const child = spawn(bin, ["-addr", "127.0.0.1:0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stderr.on("data", (d) => {
    if (log.length < 64 << 10) log += d;
  });
  const endpoint = new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`emulator did not report listening within 60s: ${out}`)), 60000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/cognito-emulator listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        child.stdout.resume();
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}: ${out}\n${log}`));
    });
  });
  return { child, endpoint };
}

/** Kills an emulator startEmulator spawned, if it still runs. */
export function stopEmulator(child) {
  if (child && child.exitCode === null) {
    child.removeAllListeners("exit");
    child.kill();
  }
}

/** Asserts that promise rejects with an Error named name whose message contains fragment. */
export async function rejectsWith(promise, name, fragment, label) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof Error, `${label}: rejected with a non-Error ${err}`);
    assert.equal(err.name, name, `${label}: name = ${err.name} (${err.message}); want ${name}`);
    assert.ok(err.message.includes(fragment), `${label}: message ${JSON.stringify(err.message)} lacks ${JSON.stringify(fragment)}`);
    return true;
  }, label);
}
