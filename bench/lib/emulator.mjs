// emulator.mjs: starts bin/cognito-emulator on a free loopback port for a
// bench and stops it again (the whole process group it started).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

// startEmulator resolves with {endpoint, stop} once the emulator says where
// it listens; endpoint ends with a slash.
export async function startEmulator({ bin, seed }) {
  const child = spawn(resolve(bin), ['-addr', '127.0.0.1:0', '-seed', resolve(seed)],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stderr.resume();
  const stop = async () => {
    child.removeAllListeners('exit');
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid, 'SIGTERM'); // the process group started above
      await exited;
    }
  };
  try {
    const endpoint = await new Promise((res, rej) => {
      let out = '';
      const onData = (d) => {
        out += d;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          child.stdout.off('data', onData);
          res(m[1] + '/');
        }
      };
      child.stdout.on('data', onData);
      child.once('exit', (code) => rej(new Error(`cognito-emulator exited (${code})`)));
    });
    child.stdout.resume();
    return { endpoint, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
