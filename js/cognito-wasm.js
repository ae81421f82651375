// cognito-wasm: sign in to Amazon Cognito user pools from a web page (or
// Node 20), with the SRP math done by a Go WebAssembly module.
//
// The module is an ES module with no build step, and a package that bundlers
// take as it is. It finds its two companions the ways bundlers recognise:
//   - wasm_exec.js (the Go toolchain's own, unmodified; a script that defines
//     globalThis.Go) through a literal `import("./wasm_exec.js")`: Vite,
//     webpack and esbuild bundle it, and without a bundler the browser loads
//     it as a module from next to this file. Neither a script tag nor eval is
//     needed, so a Content-Security-Policy without 'unsafe-eval' or inline
//     scripts allows it.
//   - cognito-wasm.wasm through `new URL("./cognito-wasm.wasm", import.meta.url)`,
//     which Vite and webpack rewrite to the file they emit. Where import.meta
//     is empty (an esbuild IIFE bundle) it is found next to the <script src>
//     that ran this code, else loadCognitoWasm({wasmUrl}) says where.
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

// The specifier is held in a variable, and marked for Vite and webpack, so
// that bundlers for the browser neither resolve a Node built-in nor warn.
const nodeFsModule = "node:fs/promises";

async function readFileURL(url) {
  const fs = await import(/* webpackIgnore: true */ /* @vite-ignore */ nodeFsModule);
  return fs.readFile(url);
}

/** Runs wasm_exec.js, which defines globalThis.Go, unless a page did already. */
async function loadWasmExec() {
  if (typeof globalThis.Go === "function") return;
  try {
    // A literal specifier, so that bundlers include the file.
    await import("./wasm_exec.js");
  } catch (err) {
    const e = new Error(
      `cognito-wasm: could not load wasm_exec.js, which must be served next to cognito-wasm.js as a JavaScript file: ${err && err.message}`,
    );
    e.cause = err;
    throw e;
  }
  if (typeof globalThis.Go !== "function") {
    throw new Error("cognito-wasm: wasm_exec.js did not define globalThis.Go; is it Go's wasm_exec.js?");
  }
}

// The URL of the classic script running this code, kept while it runs: an
// IIFE bundle (esbuild's, whose import.meta is empty) finds the .wasm next to
// itself, as an ES module does through import.meta.url. Module scripts and
// code run later have no document.currentScript.
const scriptSrc =
  typeof document === "object" && document !== null && document.currentScript && typeof document.currentScript.src === "string"
    ? document.currentScript.src
    : "";

/** Where the .wasm is by default, or null when nothing tells. */
function defaultWasmURL() {
  try {
    // Kept in this exact form: Vite and webpack emit the file it names and
    // put the emitted file's URL here. It throws where import.meta.url is
    // missing (an IIFE bundle). import.meta.url is not used alone, because
    // webpack would write the build machine's path into the bundle.
    return new URL("./cognito-wasm.wasm", import.meta.url);
  } catch {
    if (scriptSrc !== "") return new URL("cognito-wasm.wasm", scriptSrc);
    return null;
  }
}

/** The base a relative wasmUrl resolves against: the page's, as fetch() does; under Node, this file's folder. */
function pageBase() {
  if (typeof document === "object" && document !== null && typeof document.baseURI === "string" && document.baseURI !== "") return document.baseURI;
  if (typeof location === "object" && location !== null && typeof location.href === "string") return location.href;
  const here = defaultWasmURL();
  return here === null ? undefined : here.href;
}

const OPTIONS = ["wasmUrl"];

/** The .wasm's URL from loadCognitoWasm's options, checked. */
function wasmURLFrom(opts) {
  for (const key of Object.keys(opts)) {
    if (!OPTIONS.includes(key)) {
      throw invalid(`loadCognitoWasm: unknown option ${JSON.stringify(key)} (known: ${OPTIONS.join(", ")})`);
    }
  }
  const given = opts.wasmUrl;
  if (given === undefined || given === null) {
    const url = defaultWasmURL();
    if (url === null) {
      throw invalid(
        "cognito-wasm: cannot tell where cognito-wasm.wasm is: this copy of cognito-wasm.js has no import.meta.url " +
          "(it was bundled into a non-module script, such as an esbuild IIFE bundle) and was not run by a <script src>. " +
          'Call loadCognitoWasm({ wasmUrl: "/path/to/cognito-wasm.wasm" }) before anything else.',
      );
    }
    return url;
  }
  let href;
  if (typeof given === "string") href = given;
  else if (typeof given === "object" && typeof given.href === "string") href = given.href;
  else throw invalid(`loadCognitoWasm: wasmUrl must be a string or a URL, not ${typeof given}`);
  if (href === "") throw invalid("loadCognitoWasm: wasmUrl is empty");
  try {
    return new URL(href, pageBase());
  } catch {
    throw invalid(`loadCognitoWasm: wasmUrl ${JSON.stringify(href)} is not a URL`);
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
  const wasmUrl = wasmURLFrom(opts);
  if (wasmUrl.protocol === "file:" && !isNode() && typeof document !== "undefined") {
    // Browsers refuse fetch() of file: URLs; without this the page would
    // wait for a module that never comes.
    throw new Error(
      `cognito-wasm: cannot load ${wasmUrl.href} on a page opened from a file: URL, because browsers refuse to ` +
        "fetch file: URLs. Serve the page over HTTP instead: `make demo`, or any static server " +
        "(for example `python3 -m http.server` in the page's folder).",
    );
  }
  await loadWasmExec();
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
 * Loads the module once; later calls return the same namespace (and their
 * options are not looked at). A failed load may be retried. Options:
 * wasmUrl, where cognito-wasm.wasm is (a string or a URL; a relative string
 * resolves against the page, as fetch() does).
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

/** Where createAuth's storage option keeps the session: undefined for memory, else a storage object. */
function resolveStorage(config) {
  let s;
  try {
    s = config.storage;
  } catch {
    return config; // the module reports the unreadable field
  }
  if (typeof s !== "string") return config;
  let store;
  if (s === "localStorage" || s === "sessionStorage") {
    try {
      store = globalThis[s]; // throws where storage is blocked
    } catch (err) {
      throw invalid(`config.storage is '${s}', which is blocked here: ${err && err.message}`);
    }
    if (!store || typeof store.getItem !== "function") throw invalid(`config.storage is '${s}', which this environment does not offer`);
  } else if (s !== "memory") {
    throw invalid(`config.storage must be 'memory', 'localStorage', 'sessionStorage' or an object with getItem, setItem and removeItem, not ${JSON.stringify(s)}`);
  }
  return { ...config, storage: store };
}

/** A JWT as Amplify hands it out: its payload decoded, toString() the token. */
function jwt(raw) {
  const b64 = raw.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const payload = JSON.parse(new TextDecoder().decode(bytes));
  return { payload, toString: () => raw };
}

/** Reads an optional boolean option of an optional input object. */
function flagOf(input, key) {
  if (input === undefined || input === null) return false;
  if (typeof input !== "object") throw invalid(`input must be an object, not ${typeof input}`);
  const v = input[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") throw invalid(`${key} must be a boolean, not ${typeof v}`);
  return v;
}

/** The events' detail from the module's (type, username, userId, error). */
function eventDetail(username, userId, error) {
  const d = {};
  if (username) d.username = username;
  if (userId) d.userId = userId;
  if (error) d.error = error;
  return Object.keys(d).length ? d : null;
}

function makeEvent(type, detail) {
  if (typeof CustomEvent === "function") return new CustomEvent(type, { detail });
  const e = new Event(type);
  Object.defineProperty(e, "detail", { value: detail });
  return e;
}

// The account half of createAuth: Amplify JS v6's sign-up, password,
// attribute, MFA and deleteUser calls. Each checks its input (rejecting
// with InvalidParameterException naming the field), builds Cognito's
// request, and shapes Cognito's answer as Amplify does. The module adds
// what must stay inside it (the client ID and secret, the signed-in user's
// fresh access token, the password kept for auto sign-in) and sends the
// request: one Go path for every operation keeps the module small.

function typeName(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/** The input object; undefined and null read as {} for the calls whose fields are all optional. */
function inputObject(v) {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw invalid(`input must be an object, not ${typeName(v)}`);
  return v;
}

/** The options object inside an input, or {}. */
function optionsOf(input) {
  const o = input.options;
  if (o === undefined || o === null) return {};
  if (typeof o !== "object" || Array.isArray(o)) throw invalid(`options must be an object, not ${typeName(o)}`);
  return o;
}

/** obj[key] as a string; path names it in errors. Required means non-empty. */
function stringField(obj, key, path, required) {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (required) throw invalid(`${path} is required`);
    return undefined;
  }
  if (typeof v !== "string") throw invalid(`${path} must be a string, not ${typeName(v)}`);
  if (required && v === "") throw invalid(`${path} is required`);
  return v;
}

/** obj[key] as an object of strings, or undefined. */
function stringMapField(obj, key, path) {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw invalid(`${path} must be an object of strings, not ${typeName(v)}`);
  const out = {};
  for (const k of Object.keys(v)) {
    if (typeof v[k] !== "string") throw invalid(`${path}.${k} must be a string, not ${typeName(v[k])}`);
    out[k] = v[k];
  }
  return out;
}

/** {name: value} as Cognito's [{Name, Value}]. */
function toAttributeList(map) {
  return map === undefined ? undefined : Object.keys(map).map((Name) => ({ Name, Value: map[Name] }));
}

/** Cognito's CodeDeliveryDetails as Amplify's codeDeliveryDetails. */
function deliveryDetails(d) {
  const out = {};
  if (d && d.Destination !== undefined) out.destination = d.Destination;
  if (d && d.DeliveryMedium !== undefined) out.deliveryMedium = d.DeliveryMedium;
  if (d && d.AttributeName) out.attributeName = d.AttributeName;
  return out;
}

/** Amplify's MFA preference values as Cognito's settings. */
const MFA_SETTINGS = {
  ENABLED: { Enabled: true },
  DISABLED: { Enabled: false },
  PREFERRED: { Enabled: true, PreferredMfa: true },
  NOT_PREFERRED: { Enabled: true, PreferredMfa: false },
};

/** Cognito's MFA names as Amplify's. */
const MFA_TYPES = { SMS_MFA: "SMS", SOFTWARE_TOKEN_MFA: "TOTP", EMAIL_OTP: "EMAIL" };

function accountApi(ns, client) {
  /**
   * Sends one operation through the module, as JSON text both ways: answers
   * Cognito's answer (body), and whether autoSignIn() is due (after
   * ConfirmSignUp).
   */
  async function send(Operation, Request, AutoSignIn) {
    const [text, autoSignIn] = await client.accountCall(JSON.stringify({ Operation, Request, AutoSignIn }));
    return { body: JSON.parse(text), autoSignIn };
  }

  async function signUp(input) {
    const i = inputObject(input);
    const o = optionsOf(i);
    const Username = stringField(i, "username", "username", true);
    const Password = stringField(i, "password", "password", false);
    const auto = o.autoSignIn;
    if (auto !== undefined && auto !== null && typeof auto !== "boolean" && (typeof auto !== "object" || Array.isArray(auto))) {
      throw invalid(`options.autoSignIn must be a boolean or an object of sign-in options, not ${typeName(auto)}`);
    }
    const request = {
      Username,
      Password,
      UserAttributes: toAttributeList(stringMapField(o, "userAttributes", "options.userAttributes")),
      ValidationData: toAttributeList(stringMapField(o, "validationData", "options.validationData")),
      ClientMetadata: stringMapField(o, "clientMetadata", "options.clientMetadata"),
    };
    if (typeof auto === "object" && auto !== null) {
      stringField(auto, "authFlowType", "options.autoSignIn.authFlowType", false);
      stringField(auto, "preferredChallenge", "options.autoSignIn.preferredChallenge", false);
      stringMapField(auto, "clientMetadata", "options.autoSignIn.clientMetadata");
    }
    const { body } = await send("SignUp", request, auto || undefined);
    const complete = body.UserConfirmed === true;
    const autoStarted = auto === true || (typeof auto === "object" && auto !== null);
    let nextStep;
    if (complete) nextStep = { signUpStep: autoStarted ? "COMPLETE_AUTO_SIGN_IN" : "DONE" };
    else nextStep = { signUpStep: "CONFIRM_SIGN_UP", codeDeliveryDetails: deliveryDetails(body.CodeDeliveryDetails) };
    return { isSignUpComplete: complete, userId: body.UserSub, nextStep };
  }

  async function confirmSignUp(input) {
    const i = inputObject(input);
    const o = optionsOf(i);
    const force = o.forceAliasCreation;
    if (force !== undefined && force !== null && typeof force !== "boolean") {
      throw invalid(`options.forceAliasCreation must be a boolean, not ${typeName(force)}`);
    }
    const request = {
      Username: stringField(i, "username", "username", true),
      ConfirmationCode: stringField(i, "confirmationCode", "confirmationCode", true),
      ClientMetadata: stringMapField(o, "clientMetadata", "options.clientMetadata"),
      ForceAliasCreation: force ?? undefined,
    };
    const { autoSignIn } = await send("ConfirmSignUp", request);
    return { isSignUpComplete: true, nextStep: { signUpStep: autoSignIn ? "COMPLETE_AUTO_SIGN_IN" : "DONE" } };
  }

  async function resendSignUpCode(input) {
    const i = inputObject(input);
    const request = {
      Username: stringField(i, "username", "username", true),
      ClientMetadata: stringMapField(optionsOf(i), "clientMetadata", "options.clientMetadata"),
    };
    const { body } = await send("ResendConfirmationCode", request);
    return deliveryDetails(body.CodeDeliveryDetails);
  }

  async function autoSignIn() {
    return withSetupUri(ns, await client.autoSignIn());
  }

  async function resetPassword(input) {
    const i = inputObject(input);
    const request = {
      Username: stringField(i, "username", "username", true),
      ClientMetadata: stringMapField(optionsOf(i), "clientMetadata", "options.clientMetadata"),
    };
    const { body } = await send("ForgotPassword", request);
    return {
      isPasswordReset: false,
      nextStep: { resetPasswordStep: "CONFIRM_RESET_PASSWORD_WITH_CODE", codeDeliveryDetails: deliveryDetails(body.CodeDeliveryDetails) },
    };
  }

  async function confirmResetPassword(input) {
    const i = inputObject(input);
    const request = {
      Username: stringField(i, "username", "username", true),
      ConfirmationCode: stringField(i, "confirmationCode", "confirmationCode", true),
      Password: stringField(i, "newPassword", "newPassword", true),
      ClientMetadata: stringMapField(optionsOf(i), "clientMetadata", "options.clientMetadata"),
    };
    await send("ConfirmForgotPassword", request);
  }

  async function updatePassword(input) {
    const i = inputObject(input);
    const request = {
      PreviousPassword: stringField(i, "oldPassword", "oldPassword", true),
      ProposedPassword: stringField(i, "newPassword", "newPassword", true),
    };
    await send("ChangePassword", request);
  }

  async function fetchUserAttributes() {
    const { body } = await send("GetUser", {});
    const out = {};
    for (const a of body.UserAttributes || []) out[a.Name] = a.Value;
    return out;
  }

  async function updateAttributes(userAttributes, clientMetadata) {
    const { body } = await send("UpdateUserAttributes", { UserAttributes: toAttributeList(userAttributes), ClientMetadata: clientMetadata });
    const out = {};
    for (const key of Object.keys(userAttributes)) out[key] = { isUpdated: true, nextStep: { updateAttributeStep: "DONE" } };
    for (const d of body.CodeDeliveryDetailsList || []) {
      if (d.AttributeName) {
        out[d.AttributeName] = {
          isUpdated: false,
          nextStep: { updateAttributeStep: "CONFIRM_ATTRIBUTE_WITH_CODE", codeDeliveryDetails: deliveryDetails(d) },
        };
      }
    }
    return out;
  }

  async function updateUserAttributes(input) {
    const i = inputObject(input);
    const attrs = stringMapField(i, "userAttributes", "userAttributes");
    if (attrs === undefined || Object.keys(attrs).length === 0) throw invalid("userAttributes is required");
    return updateAttributes(attrs, stringMapField(optionsOf(i), "clientMetadata", "options.clientMetadata"));
  }

  async function updateUserAttribute(input) {
    const i = inputObject(input);
    const a = i.userAttribute;
    if (a === undefined || a === null || typeof a !== "object" || Array.isArray(a)) throw invalid("userAttribute is required: {attributeKey, value}");
    const key = stringField(a, "attributeKey", "userAttribute.attributeKey", true);
    const value = stringField(a, "value", "userAttribute.value", false) ?? "";
    const out = await updateAttributes({ [key]: value }, stringMapField(optionsOf(i), "clientMetadata", "options.clientMetadata"));
    return out[key];
  }

  async function confirmUserAttribute(input) {
    const i = inputObject(input);
    const request = {
      AttributeName: stringField(i, "userAttributeKey", "userAttributeKey", true),
      Code: stringField(i, "confirmationCode", "confirmationCode", true),
    };
    await send("VerifyUserAttribute", request);
  }

  async function sendUserAttributeVerificationCode(input) {
    const i = inputObject(input);
    const request = {
      AttributeName: stringField(i, "userAttributeKey", "userAttributeKey", true),
      ClientMetadata: stringMapField(optionsOf(i), "clientMetadata", "options.clientMetadata"),
    };
    const { body } = await send("GetUserAttributeVerificationCode", request);
    return deliveryDetails(body.CodeDeliveryDetails);
  }

  async function deleteUserAttributes(input) {
    const i = inputObject(input);
    const keys = i.userAttributeKeys;
    if (!Array.isArray(keys) || keys.length === 0) throw invalid("userAttributeKeys is required: a non-empty array of attribute names");
    keys.forEach((k, n) => {
      if (typeof k !== "string" || k === "") throw invalid(`userAttributeKeys[${n}] must be a non-empty string`);
    });
    await send("DeleteUserAttributes", { UserAttributeNames: [...keys] });
  }

  async function setUpTOTP() {
    const { body } = await send("AssociateSoftwareToken", {});
    const sharedSecret = body.SecretCode;
    // The account name defaults to the signed-in username, as Amplify's.
    const s = await client.session(false);
    const claims = s ? jwt(s[1] || s[0]).payload : {};
    const username = claims["cognito:username"] || claims.username || "";
    return {
      sharedSecret,
      getSetupUri(appName, accountName) {
        const uri = ns.totpSetupUri(sharedSecret, appName, accountName === undefined ? username : accountName);
        if (uri instanceof Error) throw uri;
        return new URL(uri);
      },
    };
  }

  async function verifyTOTPSetup(input) {
    const i = inputObject(input);
    const request = {
      UserCode: stringField(i, "code", "code", true),
      FriendlyDeviceName: stringField(optionsOf(i), "friendlyDeviceName", "options.friendlyDeviceName", false),
    };
    await send("VerifySoftwareToken", request);
  }

  async function updateMFAPreference(input) {
    const i = inputObject(input);
    const request = {};
    for (const [key, field] of [["sms", "SMSMfaSettings"], ["totp", "SoftwareTokenMfaSettings"], ["email", "EmailMfaSettings"]]) {
      const v = stringField(i, key, key, false);
      if (v === undefined) continue;
      if (!Object.hasOwn(MFA_SETTINGS, v)) throw invalid(`${key} must be ENABLED, DISABLED, PREFERRED or NOT_PREFERRED, not ${JSON.stringify(v.slice(0, 40))}`);
      request[field] = MFA_SETTINGS[v];
    }
    await send("SetUserMFAPreference", request);
  }

  async function fetchMFAPreference() {
    const { body } = await send("GetUser", {});
    const out = {};
    if (MFA_TYPES[body.PreferredMfaSetting]) out.preferred = MFA_TYPES[body.PreferredMfaSetting];
    const enabled = (body.UserMFASettingList || []).map((s) => MFA_TYPES[s]).filter(Boolean);
    if (enabled.length > 0) out.enabled = enabled;
    return out;
  }

  async function deleteUser() {
    await send("DeleteUser", {});
  }

  return {
    signUp,
    confirmSignUp,
    resendSignUpCode,
    autoSignIn,
    resetPassword,
    confirmResetPassword,
    updatePassword,
    fetchUserAttributes,
    updateUserAttributes,
    updateUserAttribute,
    confirmUserAttribute,
    sendUserAttributeVerificationCode,
    deleteUserAttributes,
    setUpTOTP,
    verifyTOTPSetup,
    updateMFAPreference,
    fetchMFAPreference,
    deleteUser,
  };
}

/**
 * Creates an Auth bound to one user pool and app client: a client inside
 * the module that keeps the sign-in in progress (its session never reaches
 * JavaScript) and the signed-in user's tokens in config.storage ('memory' by
 * default, 'localStorage', 'sessionStorage', or an object with getItem,
 * setItem and removeItem that may return Promises). Arguments are checked
 * inside the module, which rejects with InvalidParameterException naming the
 * field.
 */
export async function createAuth(config) {
  const ns = await loadCognitoWasm();
  const cfg = config !== null && typeof config === "object" ? resolveStorage(config) : config;
  const events = new EventTarget();
  const emit = (type, username, userId, error) => {
    events.dispatchEvent(makeEvent(type, eventDetail(username, userId, error)));
  };
  const client = await ns.createClient(cfg, emit);

  async function signIn(input) {
    return withSetupUri(ns, await answerWebAuthn(client, await client.signIn(input)));
  }

  async function confirmSignIn(input) {
    return withSetupUri(ns, await answerWebAuthn(client, await client.confirmSignIn(input)));
  }

  /** Amplify's fetchAuthSession: {} when no one is signed in. */
  async function fetchAuthSession(input) {
    const s = await client.session(flagOf(input, "forceRefresh"));
    if (!s) return {};
    const tokens = { accessToken: jwt(s[0]) };
    if (s[1]) tokens.idToken = jwt(s[1]);
    return { tokens, userSub: tokens.accessToken.payload.sub };
  }

  /** Amplify's getCurrentUser: rejects with UserUnAuthenticatedException when no one is signed in. */
  async function getCurrentUser() {
    const s = await client.session(false);
    if (!s) throw namedError("UserUnAuthenticatedException", "User needs to be authenticated to call this API.");
    const access = jwt(s[0]).payload;
    const id = s[1] ? jwt(s[1]).payload : {};
    const user = { username: id["cognito:username"] || access.username, userId: id.sub || access.sub };
    if (s[2] || s[3]) {
      user.signInDetails = {};
      if (s[2]) user.signInDetails.loginId = s[2];
      if (s[3]) user.signInDetails.authFlowType = s[3];
    }
    return user;
  }

  /** Revokes the refresh token (global: signs out everywhere), then clears the stored session even if that call failed. */
  async function signOut(input) {
    await client.signOut(flagOf(input, "global"));
  }

  /** Amplify's rememberDevice: the device this browser keeps for the signed-in user, marked remembered. */
  async function rememberDevice() {
    await client.rememberDevice();
  }

  /** Amplify's forgetDevice: input.device.id, or the device this browser keeps (then dropped from storage too). */
  async function forgetDevice(input) {
    let id;
    if (input !== undefined && input !== null) {
      if (typeof input !== "object") throw invalid(`input must be an object, not ${typeof input}`);
      const d = input.device;
      if (d !== undefined && d !== null) {
        if (typeof d !== "object") throw invalid(`device must be an object, not ${typeof d}`);
        id = d.id;
        if (typeof id !== "string" || id === "") throw invalid("device.id must be a non-empty string");
      }
    }
    await client.forgetDevice(id);
  }

  /** Amplify's fetchDevices: the user's remembered devices, shaped as Amplify's AWSAuthDevice. */
  async function fetchDevices() {
    const out = JSON.parse(await client.fetchDevices());
    const date = (s) => (typeof s === "number" ? new Date(s * 1000) : undefined);
    return (out.Devices || []).map((d) => {
      const attributes = {};
      let name;
      for (const { Name, Value } of d.DeviceAttributes || []) {
        if (!Name || !Value) continue;
        if (Name === "device_name") name = Value;
        attributes[Name] = Value;
      }
      return {
        id: d.DeviceKey || "",
        name,
        attributes,
        createDate: date(d.DeviceCreateDate),
        lastModifiedDate: date(d.DeviceLastModifiedDate),
        lastAuthenticatedDate: date(d.DeviceLastAuthenticatedDate),
      };
    });
  }

  return Object.freeze({
    ...accountApi(ns, client),
    signIn,
    confirmSignIn,
    fetchAuthSession,
    getCurrentUser,
    signOut,
    rememberDevice,
    forgetDevice,
    fetchDevices,
    events,
    ...passkeyMethods(client),
    initiate: (request) => client.initiate(request),
    respondToAuthChallenge: (request) => client.respond(request),
    adminInitiate: (request) => client.adminInitiate(request),
    adminRespond: (request) => client.adminRespond(request),
  });
}

// ---- Passkeys (WebAuthn) ----
// Cognito speaks JSON with binary members as base64url; navigator.credentials
// takes and gives ArrayBuffers. The conversion is here, in JavaScript, as in
// Amplify; the module only adds the access token (the account operations'
// one call) and answers WEB_AUTHN.

/** The sign-in step the module reports for WEB_AUTHN; the shim answers it itself. */
const WEB_AUTHN_STEP = "CONTINUE_SIGN_IN_WITH_WEB_AUTHN";

function fromBase64url(s, field, errName) {
  if (typeof s !== "string" || !/^[A-Za-z0-9_-]*={0,2}$/.test(s)) {
    throw namedError(errName, `Invalid passkey options: ${field} is not base64url text.`);
  }
  const b64 = s.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

function toBase64url(buf) {
  const bytes = buf instanceof ArrayBuffer ? new Uint8Array(buf) : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function withIds(list, field, errName) {
  if (list === undefined || list === null) return list;
  if (!Array.isArray(list)) throw namedError(errName, `Invalid passkey options: ${field} is not a list.`);
  return list.map((c, i) => ({ ...c, id: fromBase64url(c && c.id, `${field}[${i}].id`, errName) }));
}

function parseOptions(json, errName) {
  try {
    return typeof json === "string" ? JSON.parse(json) : json;
  } catch (err) {
    throw namedError(errName, `Invalid passkey options: not JSON (${err.message}).`);
  }
}

/** Cognito's CredentialCreationOptions (JSON) as navigator.credentials.create's publicKey. */
export function passkeyCreationOptions(json) {
  const E = "InvalidPasskeyRegistrationOptions";
  const o = parseOptions(json, E);
  if (!o || typeof o !== "object" || !o.user || typeof o.user !== "object" || !o.rp) {
    throw namedError(E, "Invalid passkey registration options: rp or user is missing.");
  }
  return {
    ...o,
    challenge: fromBase64url(o.challenge, "challenge", E),
    user: { ...o.user, id: fromBase64url(o.user.id, "user.id", E) },
    excludeCredentials: withIds(o.excludeCredentials, "excludeCredentials", E),
  };
}

/** Cognito's CREDENTIAL_REQUEST_OPTIONS (JSON) as navigator.credentials.get's publicKey. */
export function passkeyRequestOptions(json) {
  const E = "InvalidPasskeyAuthenticationOptions";
  const o = parseOptions(json, E);
  if (!o || typeof o !== "object") {
    throw namedError(E, "Invalid passkey authentication options: not an object.");
  }
  return { ...o, challenge: fromBase64url(o.challenge, "challenge", E), allowCredentials: withIds(o.allowCredentials, "allowCredentials", E) };
}

/** A PublicKeyCredential (from create or get) as the JSON Cognito takes. */
export function passkeyCredentialJSON(cred) {
  const r = cred.response;
  const response = { clientDataJSON: toBase64url(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = toBase64url(r.attestationObject);
    if (typeof r.getTransports === "function") response.transports = r.getTransports();
    if (typeof r.getAuthenticatorData === "function") response.authenticatorData = toBase64url(r.getAuthenticatorData());
    if (typeof r.getPublicKeyAlgorithm === "function") response.publicKeyAlgorithm = r.getPublicKeyAlgorithm();
    const pk = typeof r.getPublicKey === "function" ? r.getPublicKey() : null;
    if (pk) response.publicKey = toBase64url(pk);
  } else {
    response.authenticatorData = toBase64url(r.authenticatorData);
    response.signature = toBase64url(r.signature);
    if (r.userHandle) response.userHandle = toBase64url(r.userHandle);
  }
  const out = {
    id: cred.id,
    rawId: toBase64url(cred.rawId),
    type: cred.type,
    clientExtensionResults: typeof cred.getClientExtensionResults === "function" ? cred.getClientExtensionResults() : {},
    response,
  };
  if (cred.authenticatorAttachment) out.authenticatorAttachment = cred.authenticatorAttachment;
  return out;
}

/** navigator.credentials, or PasskeyNotSupported naming what is missing. */
function passkeyAPI() {
  const g = globalThis;
  if (g.isSecureContext === false) {
    throw namedError("PasskeyNotSupported", "Passkeys need a secure context (https, or http://localhost); this page is not one.");
  }
  const c = g.navigator && g.navigator.credentials;
  if (!c || typeof c.create !== "function" || typeof c.get !== "function" || typeof g.PublicKeyCredential === "undefined") {
    throw namedError("PasskeyNotSupported", "Passkeys are not supported here: navigator.credentials (WebAuthn) is missing.");
  }
  return c;
}

/** A DOMException from navigator.credentials under Amplify's passkey error names. */
function passkeyError(err, registering) {
  const n = err && err.name;
  let name = registering ? "PasskeyRegistrationFailed" : "PasskeyRetrievalFailed";
  if (n === "NotAllowedError") name = registering ? "PasskeyRegistrationCanceled" : "PasskeyAuthenticationCanceled";
  else if (n === "AbortError") name = "PasskeyOperationAborted";
  else if (n === "InvalidStateError" && registering) name = "PasskeyAlreadyExists";
  else if (n === "SecurityError") name = "RelyingPartyMismatch";
  const e = namedError(name, `${registering ? "navigator.credentials.create" : "navigator.credentials.get"} failed: ${err && err.message}`);
  e.underlyingError = err;
  return e;
}

async function createPasskey(options) {
  const c = passkeyAPI();
  const publicKey = passkeyCreationOptions(options);
  let cred;
  try {
    cred = await c.create({ publicKey });
  } catch (err) {
    throw passkeyError(err, true);
  }
  if (!cred) throw namedError("PasskeyRegistrationFailed", "navigator.credentials.create returned no credential");
  return passkeyCredentialJSON(cred);
}

async function getPasskey(options) {
  const c = passkeyAPI();
  const publicKey = passkeyRequestOptions(options);
  let cred;
  try {
    cred = await c.get({ publicKey });
  } catch (err) {
    throw passkeyError(err, false);
  }
  if (!cred) throw namedError("PasskeyRetrievalFailed", "navigator.credentials.get returned no credential");
  return passkeyCredentialJSON(cred);
}

/** Answers the WEB_AUTHN step with a passkey, as Amplify's signIn does. */
async function answerWebAuthn(client, result) {
  const next = result && result.nextStep;
  if (!next || next.signInStep !== WEB_AUTHN_STEP) return result;
  const cred = await getPasskey(next.credentialRequestOptions);
  return client.confirmSignIn({ challengeResponse: JSON.stringify(cred) });
}

/** Amplify v6's associateWebAuthnCredential, listWebAuthnCredentials and deleteWebAuthnCredential. */
function passkeyMethods(client) {
  const call = async (Operation, Request) => JSON.parse((await client.accountCall(JSON.stringify({ Operation, Request })))[0]);
  return {
    async associateWebAuthnCredential() {
      passkeyAPI();
      const start = await call("StartWebAuthnRegistration", {});
      const credential = await createPasskey(start.CredentialCreationOptions);
      await call("CompleteWebAuthnRegistration", { Credential: credential });
    },
    async listWebAuthnCredentials(input) {
      const req = {};
      if (input !== undefined && input !== null) {
        if (typeof input !== "object") throw invalid("input must be an object {pageSize, nextToken}");
        if (input.pageSize !== undefined) {
          if (!Number.isInteger(input.pageSize) || input.pageSize < 1 || input.pageSize > 20) throw invalid("pageSize must be an integer from 1 to 20");
          req.MaxResults = input.pageSize;
        }
        if (input.nextToken !== undefined) {
          if (typeof input.nextToken !== "string" || !input.nextToken) throw invalid("nextToken must be a non-empty string");
          req.NextToken = input.nextToken;
        }
      }
      const out = await call("ListWebAuthnCredentials", req);
      const credentials = (out.Credentials || []).map((c) => {
        const d = {
          credentialId: c.CredentialId,
          friendlyCredentialName: c.FriendlyCredentialName,
          relyingPartyId: c.RelyingPartyId,
          authenticatorAttachment: c.AuthenticatorAttachment,
          authenticatorTransports: c.AuthenticatorTransports,
          createdAt: c.CreatedAt === undefined ? undefined : new Date(c.CreatedAt * 1000),
        };
        for (const k of Object.keys(d)) if (d[k] === undefined) delete d[k];
        return d;
      });
      return out.NextToken ? { credentials, nextToken: out.NextToken } : { credentials };
    },
    async deleteWebAuthnCredential(input) {
      if (!input || typeof input !== "object" || typeof input.credentialId !== "string" || !input.credentialId) {
        throw invalid("credentialId is required (a string)");
      }
      await call("DeleteWebAuthnCredential", { CredentialId: input.credentialId });
    },
  };
}
