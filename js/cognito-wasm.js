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

const CONFIG_KEYS = ["userPoolId", "clientId", "clientSecret", "region", "endpoint"];

function snapshotConfig(config) {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw invalid("config must be an object with userPoolId and clientId");
  }
  const out = {};
  for (const k of CONFIG_KEYS) {
    const v = config[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") throw invalid(`config.${k} must be a string, not ${describe(v)}`);
    out[k] = v;
  }
  for (const k of ["userPoolId", "clientId"]) {
    if (!out[k]) throw invalid(`config.${k} is required`);
  }
  return Object.freeze(out);
}

function describe(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (v === undefined) return "undefined";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function requireObject(v, what) {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw invalid(`${what} must be an object, not ${describe(v)}`);
  }
}

function requireString(v, what) {
  if (typeof v !== "string" || v === "") {
    throw invalid(`${what} must be a non-empty string, not ${v === "" ? "empty" : describe(v)}`);
  }
}

/** Turns a Cognito-shaped result into a Step. */
function toStep(raw, username, refreshToken) {
  const r = raw.AuthenticationResult;
  if (r) {
    const tokens = {
      idToken: r.IdToken,
      accessToken: r.AccessToken,
      refreshToken: r.RefreshToken ?? refreshToken,
      expiresIn: r.ExpiresIn,
      tokenType: r.TokenType,
    };
    if (r.NewDeviceMetadata) tokens.newDeviceMetadata = { ...r.NewDeviceMetadata };
    return { type: "tokens", tokens, raw };
  }
  const parameters = raw.ChallengeParameters ?? {};
  return {
    type: "challenge",
    challengeName: raw.ChallengeName,
    parameters,
    session: raw.Session,
    // Cognito's USERNAME for the answers: the challenge's own USERNAME, else
    // USER_ID_FOR_SRP, else the name given to signIn.
    username: parameters.USERNAME || parameters.USER_ID_FOR_SRP || username,
    raw,
  };
}

/**
 * Creates an Auth bound to one user pool and app client. Resolves once the
 * module is loaded.
 */
export async function createAuth(config) {
  const cfg = snapshotConfig(config);
  const ns = await loadCognitoWasm();

  async function signIn(options) {
    requireObject(options, "signIn options");
    const { username, password, authFlow = "USER_SRP_AUTH", clientMetadata } = options;
    requireString(username, "username");
    requireString(password, "password");
    requireString(authFlow, "authFlow");
    const raw = await ns.initiate(cfg, {
      AuthFlow: authFlow,
      AuthParameters: { USERNAME: username, PASSWORD: password },
      ClientMetadata: clientMetadata,
    });
    return toStep(raw, username);
  }

  async function respondStep(step, answers, clientMetadata) {
    requireObject(step, "step");
    if (step.type !== "challenge") {
      throw invalid(`step must be a challenge step (type "challenge"), not type ${JSON.stringify(step.type)}`);
    }
    requireObject(answers ?? {}, "answers");
    const responses = { ...(answers ?? {}) };
    if (responses.USERNAME === undefined && step.username) responses.USERNAME = step.username;
    const raw = await ns.respond(cfg, {
      ChallengeName: step.challengeName,
      ChallengeResponses: responses,
      Session: step.session,
      ClientMetadata: clientMetadata,
    });
    return toStep(raw, responses.USERNAME);
  }

  async function refresh(options) {
    requireObject(options, "refresh options");
    const { refreshToken, username, clientMetadata } = options;
    requireString(refreshToken, "refreshToken");
    const params = { REFRESH_TOKEN: refreshToken };
    if (username !== undefined) {
      requireString(username, "username");
      params.USERNAME = username;
    }
    const raw = await ns.initiate(cfg, { AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: params, ClientMetadata: clientMetadata });
    return toStep(raw, username, refreshToken);
  }

  return Object.freeze({
    signIn,
    respond: respondStep,
    refresh,
    initiate: (request) => ns.initiate(cfg, request),
    respondToAuthChallenge: (request) => ns.respond(cfg, request),
  });
}
