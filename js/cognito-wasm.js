// cognito-wasm: sign in to Amazon Cognito user pools from a web page (or
// Node 20), with the SRP math done by a Go WebAssembly module.
//
// The module is an ES module with no build step. By default it loads
// wasm_exec.js (the Go toolchain's own, unmodified) and cognito-wasm.wasm from
// the directory it was itself loaded from.
//
// Readiness: before go.run(instance) this loader sets
// globalThis.__cognitoWasmReady to a resolver; the Go program calls it with the
// namespace (globalThis.cognitoWasm) once initiate/respond are registered.

const READY_HOOK = "__cognitoWasmReady";

let loading = null;

/** An Error whose name is a Cognito-style exception name. */
function namedError(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

function invalid(message) {
  return namedError("InvalidParameterException", message);
}

function isNode() {
  return typeof process === "object" && process !== null && typeof process.versions === "object" && !!process.versions.node;
}

// The specifier is held in a variable so that bundlers for the browser do
// not try to resolve a Node built-in.
const nodeFsModule = "node:fs/promises";

async function readFileURL(url) {
  const fs = await import(nodeFsModule);
  return fs.readFile(url);
}

/** Loads wasm_exec.js, a classic script that defines globalThis.Go. */
async function loadWasmExec(url) {
  if (typeof globalThis.Go === "function") return;
  if (typeof document !== "undefined" && document.createElement) {
    await new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = url.href;
      s.async = true;
      s.onload = () => resolve();
      s.onerror = () => reject(new Error(`cognito-wasm: could not load ${url.href}`));
      (document.head || document.documentElement).appendChild(s);
    });
  } else if (typeof importScripts === "function") {
    importScripts(url.href); // classic web worker
  } else {
    // Node (and module workers): the script only assigns globals, so running
    // it as a module has the same effect.
    await import(url.href);
  }
  if (typeof globalThis.Go !== "function") {
    throw new Error(`cognito-wasm: ${url.href} did not define globalThis.Go; is it Go's wasm_exec.js?`);
  }
}

/** Compiles and instantiates the module, streaming when the server allows. */
async function instantiate(url, importObject) {
  if (url.protocol === "file:" && isNode()) {
    return WebAssembly.instantiate(await readFileURL(url), importObject);
  }
  const resp = await fetch(url.href, { credentials: "same-origin" });
  if (!resp.ok) {
    throw new Error(`cognito-wasm: fetching ${url.href} failed: HTTP ${resp.status}`);
  }
  const type = (resp.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
  if (typeof WebAssembly.instantiateStreaming === "function" && type === "application/wasm") {
    return WebAssembly.instantiateStreaming(resp, importObject);
  }
  // Wrong MIME type (streaming compilation would refuse it): compile from bytes.
  return WebAssembly.instantiate(await resp.arrayBuffer(), importObject);
}

async function load(options) {
  const opts = options ?? {};
  if (typeof opts !== "object") throw invalid("loadCognitoWasm options must be an object");
  const wasmUrl = new URL(opts.wasmUrl ?? "./cognito-wasm.wasm", import.meta.url);
  const wasmExecUrl = new URL(opts.wasmExecUrl ?? "./wasm_exec.js", import.meta.url);
  if (wasmUrl.protocol === "file:" && !isNode() && typeof document !== "undefined") {
    // Browsers refuse fetch() of file: URLs; without this the page would
    // wait for a module that never comes.
    throw new Error(
      `cognito-wasm: cannot load ${wasmUrl.href} on a page opened from a file: URL, because browsers refuse to ` +
        "fetch file: URLs. Serve the page over HTTP instead: `make demo`, or any static server " +
        "(for example `python3 -m http.server` in the page's folder).",
    );
  }
  await loadWasmExec(wasmExecUrl);
  const go = new globalThis.Go();
  const { instance } = await instantiate(wasmUrl, go.importObject);
  const ready = new Promise((resolve) => {
    globalThis[READY_HOOK] = resolve;
  });
  const exited = go.run(instance).then(() => {
    throw new Error("cognito-wasm: the Go program exited before it was ready");
  });
  try {
    return await Promise.race([ready, exited]);
  } finally {
    if (globalThis[READY_HOOK]) delete globalThis[READY_HOOK];
  }
}

/**
 * Loads the module once; later calls return the same namespace. A failed
 * load may be retried.
 */
export function loadCognitoWasm(options) {
  if (globalThis.cognitoWasm && typeof globalThis.cognitoWasm.initiate === "function") {
    return Promise.resolve(globalThis.cognitoWasm);
  }
  if (!loading) {
    loading = load(options).catch((err) => {
      loading = null;
      throw err;
    });
  }
  return loading;
}

/** Raw InitiateAuth: Cognito-shaped request in, Cognito-shaped result out. */
export async function initiate(config, request) {
  const ns = await loadCognitoWasm();
  return ns.initiate(config, request);
}

/** Raw RespondToAuthChallenge. */
export async function respond(config, request) {
  const ns = await loadCognitoWasm();
  return ns.respond(config, request);
}

/** Raw AdminInitiateAuth, signed with config.credentials: Node and other trusted contexts only. */
export async function adminInitiate(config, request) {
  const ns = await loadCognitoWasm();
  return ns.adminInitiate(config, request);
}

/** Raw AdminRespondToAuthChallenge, signed with config.credentials. */
export async function adminRespond(config, request) {
  const ns = await loadCognitoWasm();
  return ns.adminRespond(config, request);
}

/**
 * Adds getSetupUri(appName, accountName) to a TOTP setup step, as Amplify
 * does; the URI is built inside the module. The secret stays in this process.
 */
function withSetupUri(ns, result) {
  const d = result && result.nextStep && result.nextStep.totpSetupDetails;
  if (d) {
    d.getSetupUri = (appName, accountName) => {
      const uri = ns.totpSetupUri(d.sharedSecret, appName, accountName === undefined ? d.accountName : accountName);
      if (uri instanceof Error) throw uri;
      return new URL(uri);
    };
  }
  return result;
}

/**
 * Creates an Auth bound to one user pool and app client: a client inside
 * the module that keeps the sign-in in progress (its session never reaches
 * JavaScript). Arguments are checked inside the module, which rejects with
 * InvalidParameterException naming the field.
 */
export async function createAuth(config) {
  const ns = await loadCognitoWasm();
  const client = await ns.createClient(config);

  async function signIn(input) {
    return withSetupUri(ns, await client.signIn(input));
  }

  async function confirmSignIn(input) {
    return withSetupUri(ns, await client.confirmSignIn(input));
  }

  return Object.freeze({
    signIn,
    confirmSignIn,
    initiate: (request) => client.initiate(request),
    respondToAuthChallenge: (request) => client.respond(request),
    adminInitiate: (request) => client.adminInitiate(request),
    adminRespond: (request) => client.adminRespond(request),
  });
}
