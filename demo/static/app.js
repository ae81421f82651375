// The demo page: pool settings, a sign-in form, one prompt for each next step
// of the sign-in, the decoded claims of the tokens, and a developer panel with
// the emulator's outbox. All Cognito traffic goes through the cognito-wasm
// shim; this file only renders.
import { loadCognitoWasm, createAuth } from "./dist/cognito-wasm.js";
import qrcode from "./vendor/qrcode.mjs";

const $ = (id) => document.getElementById(id);

// Plain words for the errors a user can meet; the exact name and message are shown beneath.
const plainWords = {
  NotAuthorizedException: "The username or password is not right.",
  UserNotFoundException: "There is no user with that name in this pool.",
  UserNotConfirmedException: "This user has not confirmed their account yet.",
  PasswordResetRequiredException: "This user must reset their password first.",
  InvalidParameterException: "Something in the request was not valid.",
  ResourceNotFoundException: "The user pool or app client was not found: check the pool settings.",
  TooManyRequestsException: "Too many requests: wait a moment and try again.",
  CodeMismatchException: "That code is not right. Check it and enter it again.",
  ExpiredCodeException: "That code has expired. Sign in again for a new one.",
  InvalidPasswordException: "That password does not meet the pool's password policy.",
  EnableSoftwareTokenMFAException: "That authenticator code is not right. Check it and enter it again.",
  UserLambdaValidationException: "The pool's Lambda trigger refused this sign-in.",
  InvalidLambdaResponseException: "The pool's Lambda trigger gave an answer Cognito cannot use.",
  UnexpectedLambdaException: "The pool's Lambda trigger could not be reached.",
  LimitExceededException: "Too many attempts: wait a while and try again.",
};

// Words for the choices a step offers.
const mfaNames = { SMS: "Text message (SMS)", TOTP: "Authenticator app (TOTP)", EMAIL: "Email" };
const factorNames = {
  PASSWORD: "Password (sent over TLS)",
  PASSWORD_SRP: "Password (SRP: it never leaves the page)",
  EMAIL_OTP: "A code sent by email",
  SMS_OTP: "A code sent by SMS",
  WEB_AUTHN: "Passkey (not in this demo)",
};

const APP_NAME = "cognito-wasm demo";

let auth = null;
let authKey = "";
let demo = { pools: [] };
let lastTokens = null;
let username = "";
let seq = 0;
let currentAnswer = null; // turns the step form into confirmSignIn's input
let outboxLoads = 0;

function poolConfig() {
  const cfg = { userPoolId: $("userPoolId").value.trim(), clientId: $("clientId").value.trim() };
  const region = $("region").value.trim();
  const endpoint = $("endpoint").value.trim();
  if (region) cfg.region = region;
  if (endpoint) cfg.endpoint = endpoint;
  return cfg;
}

// One auth handle per pool settings: it keeps the pending step inside the module.
async function currentAuth() {
  const cfg = poolConfig();
  const key = JSON.stringify(cfg);
  if (!auth || key !== authKey) {
    auth = await createAuth(cfg);
    authKey = key;
  }
  return auth;
}

function setStatus(text) { $("status").textContent = text; }

// settle marks the end of a call for the curious and for the browser tests:
// body[data-outcome] is the step shown ("DONE", a signInStep or "error"), and
// body[data-seq] counts the calls that have ended.
function settle(outcome) {
  document.body.dataset.outcome = outcome;
  document.body.dataset.seq = String(++seq);
}

function errorBox(box, err) {
  const name = (err && err.name) || "Error";
  const message = (err && err.message) || String(err);
  box.replaceChildren();
  const main = document.createElement("span");
  main.textContent = plainWords[name] || message;
  const detail = document.createElement("small");
  detail.textContent = `${name}: ${message}`;
  box.append(main, detail);
  box.hidden = false;
}

// showError reports a failed sign-in in the result card and closes the step.
function showError(err) {
  errorBox($("error"), err);
  $("tokens").hidden = true;
  $("step-card").hidden = true;
  $("result-card").hidden = false;
  $("result-card").dataset.state = "error";
  reveal($("result-card"));
  settle("error");
}

// Errors after which the same prompt may be answered again (the session
// lives on); any other ends the sign-in.
const answerAgain = new Set([
  "CodeMismatchException", "EnableSoftwareTokenMFAException", "InvalidPasswordException", "InvalidParameterException",
]);

// showStepError keeps the prompt open when the step may be answered again,
// and otherwise reports the end of the sign-in as signIn's errors are.
function showStepError(err) {
  if (!answerAgain.has(err && err.name)) {
    showError(err);
    return;
  }
  errorBox($("step-error"), err);
  $("step-card").dataset.state = "error";
  reveal($("step-card"));
  const first = $("step-fields").querySelector("input");
  if (first) first.select();
  settle("error");
}

// reveal brings a card that has just appeared into view, so the user never
// has to look for the next prompt below the fold.
function reveal(el) {
  el.scrollIntoView({ block: "start", behavior: "instant" });
}

function decodeJwt(token) {
  const part = token.split(".")[1] || "";
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

function fillClaims(table, claims) {
  table.replaceChildren();
  for (const [k, v] of Object.entries(claims)) {
    const tr = table.insertRow();
    tr.insertCell().textContent = k;
    let shown = typeof v === "string" ? v : JSON.stringify(v);
    if ((k === "exp" || k === "iat" || k === "auth_time") && typeof v === "number") {
      shown = `${v} (${new Date(v * 1000).toISOString()})`;
    }
    tr.insertCell().textContent = shown;
  }
}

function showTokens(tokens) {
  lastTokens = { ...lastTokens, ...Object.fromEntries(Object.entries(tokens).filter(([, v]) => v)) };
  const id = decodeJwt(lastTokens.idToken);
  const access = decodeJwt(lastTokens.accessToken);
  $("error").hidden = true;
  $("step-card").hidden = true;
  $("signed-in").textContent = `Signed in as ${id["cognito:username"] || access.username || id.sub}.`;
  const minutes = Math.round((id.exp * 1000 - Date.now()) / 60000);
  $("expiry").textContent = `The tokens expire at ${new Date(id.exp * 1000).toLocaleString()} (in ${minutes} minutes).`;
  fillClaims($("id-claims"), id);
  fillClaims($("access-claims"), access);
  $("tokens").hidden = false;
  $("result-card").hidden = false;
  $("result-card").dataset.state = "tokens";
  reveal($("result-card"));
  settle("DONE");
}

// --- prompts, one per signInStep -------------------------------------------

function input(name, label, type, attrs = {}) {
  const l = document.createElement("label");
  l.textContent = label;
  const el = document.createElement("input");
  el.name = name;
  el.type = type;
  el.required = attrs.required !== false;
  for (const [k, v] of Object.entries(attrs)) if (k !== "required") el.setAttribute(k, v);
  l.append(el);
  return l;
}

function codeInput(label) {
  return input("code", label, "text", { inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]*", maxlength: "8" });
}

// choices offers values as radio buttons, preselecting `preferred` when it
// is among them (else the first).
function choices(name, values, words, preferred) {
  const box = document.createElement("fieldset");
  box.className = "choices";
  const pick = values.includes(preferred) ? preferred : values[0];
  values.forEach((v) => {
    const l = document.createElement("label");
    const r = document.createElement("input");
    r.type = "radio";
    r.name = name;
    r.value = v;
    r.checked = v === pick;
    if (v === "WEB_AUTHN") r.disabled = true;
    l.append(r, " ", words[v] || v);
    box.append(l);
  });
  return box;
}

function para(text, cls) {
  const p = document.createElement("p");
  p.textContent = text;
  if (cls) p.className = cls;
  return p;
}

// where says where Cognito sent a code, from codeDeliveryDetails.
function where(d, fallback) {
  if (!d || !d.destination) return fallback;
  const how = d.deliveryMedium === "SMS" ? "by text message" : d.deliveryMedium === "EMAIL" ? "by email" : "";
  return `We sent a code ${how} to ${d.destination}. Enter it below.`.replace("  ", " ");
}

// drawQR draws an otpauth:// URI as a QR code on a canvas in the page: the
// TOTP secret never leaves this machine.
function drawQR(uri) {
  const qr = qrcode(0, "M");
  qr.addData(uri);
  qr.make();
  const cell = 4, margin = 4 * cell, n = qr.getModuleCount();
  const canvas = document.createElement("canvas");
  canvas.id = "totp-qr";
  canvas.width = canvas.height = n * cell + 2 * margin;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", "QR code of the authenticator setup link");
  canvas.dataset.modules = String(n);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.translate(margin, margin);
  qr.renderTo2dContext(ctx, cell);
  return canvas;
}

// prompts: for each signInStep, its title, text, form fields and how the
// form becomes confirmSignIn's input. A step with no `answer` needs no form.
const prompts = {
  CONFIRM_SIGN_IN_WITH_SMS_CODE: (n) => ({
    title: "Enter the SMS code",
    text: where(n.codeDeliveryDetails, "Enter the code we sent by text message."),
    fields: [codeInput("SMS code")],
    answer: (f) => ({ challengeResponse: f.get("code").trim() }),
    outbox: true,
  }),
  CONFIRM_SIGN_IN_WITH_EMAIL_CODE: (n) => ({
    title: "Enter the email code",
    text: where(n.codeDeliveryDetails, "Enter the code we sent by email."),
    fields: [codeInput("Email code")],
    answer: (f) => ({ challengeResponse: f.get("code").trim() }),
    outbox: true,
  }),
  CONFIRM_SIGN_IN_WITH_TOTP_CODE: () => ({
    title: "Enter your authenticator code",
    text: "Open your authenticator app and enter the 6-digit code it shows for this account.",
    fields: [codeInput("Authenticator code")],
    answer: (f) => ({ challengeResponse: f.get("code").trim() }),
  }),
  CONTINUE_SIGN_IN_WITH_MFA_SELECTION: (n) => ({
    title: "Choose how to verify it is you",
    text: "Your account has more than one second factor. Which one now?",
    fields: [choices("choice", n.allowedMFATypes || [], mfaNames)],
    answer: (f) => ({ challengeResponse: f.get("choice") }),
  }),
  CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION: (n) => ({
    title: "Set up a second factor",
    text: "This pool requires a second factor. Choose one to set up.",
    fields: [choices("choice", n.allowedMFATypes || [], mfaNames)],
    answer: (f) => ({ challengeResponse: f.get("choice") }),
  }),
  CONTINUE_SIGN_IN_WITH_TOTP_SETUP: (n) => {
    const d = n.totpSetupDetails || {};
    const uri = typeof d.getSetupUri === "function" ? String(d.getSetupUri(APP_NAME, username)) : d.setupUri || "";
    const extra = document.createElement("div");
    extra.className = "totp";
    if (uri) extra.append(drawQR(uri));
    const secret = document.createElement("p");
    secret.append("Or type this secret: ");
    const code = document.createElement("code");
    code.id = "totp-secret";
    code.textContent = d.sharedSecret || "";
    secret.append(code);
    extra.append(secret);
    extra.dataset.uri = uri;
    return {
      title: "Set up your authenticator app",
      text: "Scan the QR code with an authenticator app (or type the secret), then enter the code it shows.",
      extra,
      fields: [codeInput("Authenticator code"), input("device", "Name for this authenticator (optional)", "text", { required: false, value: "" })],
      answer: (f) => {
        const out = { challengeResponse: f.get("code").trim() };
        const name = (f.get("device") || "").trim();
        if (name) out.options = { friendlyDeviceName: name };
        return out;
      },
    };
  },
  CONTINUE_SIGN_IN_WITH_EMAIL_SETUP: () => ({
    title: "Set up email codes",
    text: "Enter the email address your sign-in codes should go to.",
    fields: [input("email", "Email address", "email", { autocomplete: "email" })],
    answer: (f) => ({ challengeResponse: f.get("email").trim() }),
  }),
  CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION: (n) => ({
    title: "Choose how to sign in",
    text: "This pool offers several ways to sign in.",
    // SRP preselected: the password then never leaves the page.
    fields: [choices("choice", n.availableChallenges || [], factorNames, "PASSWORD_SRP")],
    answer: (f) => ({ challengeResponse: f.get("choice") }),
  }),
  CONFIRM_SIGN_IN_WITH_PASSWORD: () => ({
    title: "Enter your password",
    text: "",
    fields: [input("password", "Password", "password", { autocomplete: "current-password" })],
    answer: (f) => ({ challengeResponse: f.get("password") }),
  }),
  CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED: (n) => {
    const missing = n.missingAttributes || [];
    const fields = [input("newPassword", "New password", "password", { autocomplete: "new-password" })];
    for (const a of missing) fields.push(input("attr:" + a, a.replace(/_/g, " "), a === "email" ? "email" : "text", { "data-attribute": a }));
    return {
      title: "Choose a new password",
      text: missing.length
        ? `Your administrator requires a new password, and the pool needs: ${missing.join(", ")}.`
        : "Your administrator requires a new password.",
      fields,
      answer: (f) => {
        const out = { challengeResponse: f.get("newPassword") };
        if (missing.length) out.options = { userAttributes: Object.fromEntries(missing.map((a) => [a, f.get("attr:" + a)])) };
        return out;
      },
    };
  },
  CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE: (n) => {
    const info = n.additionalInfo || {};
    const extra = document.createElement("dl");
    extra.id = "custom-info";
    for (const [k, v] of Object.entries(info)) {
      const dt = document.createElement("dt");
      dt.textContent = k;
      const dd = document.createElement("dd");
      dd.textContent = v;
      dd.dataset.key = k;
      extra.append(dt, dd);
    }
    return {
      title: "Answer the challenge",
      text: info.question || "The pool's Lambda trigger asks a question.",
      extra,
      fields: [input("answer", "Answer", "text", { autocomplete: "off" })],
      answer: (f) => ({ challengeResponse: f.get("answer") }),
    };
  },
  CONFIRM_SIGN_UP: () => ({ title: "Confirm the sign-up first", text: "This user has not confirmed their account. Confirm it, then sign in again." }),
  RESET_PASSWORD: () => ({ title: "Reset the password first", text: "This user must reset their password, then sign in again." }),
};

function showStep(nextStep) {
  const name = nextStep.signInStep;
  const make = prompts[name];
  const p = make ? make(nextStep) : { title: name, text: "This step is not drawn by the demo." };
  $("step-title").textContent = p.title;
  $("step-text").textContent = p.text || "";
  $("step-extra").replaceChildren(...(p.extra ? [p.extra] : []));
  $("step-fields").replaceChildren(...(p.fields || []));
  $("step-error").hidden = true;
  $("step-submit").hidden = !p.answer;
  $("step-name").textContent = name;
  const card = $("step-card");
  card.dataset.step = name;
  delete card.dataset.state;
  card.hidden = false;
  currentAnswer = p.answer || null;
  $("result-card").hidden = true;
  $("result-card").dataset.state = "challenge";
  reveal(card);
  const first = $("step-fields").querySelector("input:not([type=radio])");
  if (first) first.focus({ preventScroll: true });
  if (p.outbox) refreshOutbox();
  settle(name);
}


function handle(result) {
  if (result.isSignedIn || result.nextStep.signInStep === "DONE") showTokens(result.tokens || {});
  else showStep(result.nextStep);
}

async function run(button, work, onError) {
  button.disabled = true;
  try { await work(); } catch (err) { onError(err); } finally { button.disabled = false; }
}

$("authFlow").addEventListener("change", () => {
  $("preferred-label").hidden = $("authFlow").value !== "USER_AUTH";
});

$("signin-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  lastTokens = null;
  username = $("username").value.trim();
  const flow = $("authFlow").value;
  const options = { authFlowType: flow };
  const preferred = $("preferredChallenge").value;
  if (flow === "USER_AUTH" && preferred) options.preferredChallenge = preferred;
  const input = { username, options };
  const password = $("password").value;
  if (password) input.password = password;
  showOutboxFor();
  run($("signin"), async () => handle(await (await currentAuth()).signIn(input)), showError);
});

$("step-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  if (!currentAnswer) return;
  const answer = currentAnswer(new FormData($("step-form")));
  run($("step-submit"), async () => handle(await (await currentAuth()).confirmSignIn(answer)), showStepError);
});

$("refresh").addEventListener("click", () => {
  run($("refresh"), async () => {
    // The escape hatch: a Cognito-shaped REFRESH_TOKEN_AUTH.
    const raw = await (await currentAuth()).initiate({
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: lastTokens.refreshToken },
    });
    const r = raw.AuthenticationResult || {};
    showTokens({ idToken: r.IdToken, accessToken: r.AccessToken, refreshToken: r.RefreshToken });
  }, showError);
});

$("signout").addEventListener("click", () => {
  lastTokens = null;
  $("result-card").hidden = true;
  setStatus("Signed out (tokens forgotten by this page).");
});

// --- the developer panel: the emulator's outbox ----------------------------

function showOutboxFor() {
  const cfg = poolConfig();
  $("outbox-for").textContent = username ? `For ${username} in ${cfg.userPoolId}.` : "";
}

async function refreshOutbox() {
  const cfg = poolConfig();
  const table = $("outbox");
  const body = table.tBodies[0];
  const note = $("outbox-note");
  if (!cfg.endpoint || !username) {
    note.textContent = cfg.endpoint ? "Sign in first." : "The outbox is the local emulator's; a real pool has none.";
    return;
  }
  const url = new URL("/_dev/outbox", cfg.endpoint);
  url.searchParams.set("userPoolId", cfg.userPoolId);
  url.searchParams.set("username", username);
  try {
    const res = await fetch(url, { credentials: "omit", cache: "no-store" });
    const data = await res.json();
    if (!res.ok) throw new Error((data && data.message) || `HTTP ${res.status}`);
    body.replaceChildren();
    for (const m of data) {
      const tr = body.insertRow();
      tr.insertCell().textContent = m.medium;
      tr.insertCell().textContent = m.destination;
      const c = tr.insertCell();
      c.textContent = m.code;
      c.className = "code";
      tr.insertCell().textContent = new Date(m.time).toLocaleTimeString();
    }
    note.textContent = data.length ? "" : "Nothing sent to this user yet.";
    table.dataset.count = String(data.length);
    table.dataset.loaded = String(++outboxLoads);
  } catch (err) {
    note.textContent = `Could not read the outbox: ${err.message}`;
    table.dataset.loaded = String(++outboxLoads);
  }
}

$("outbox-refresh").addEventListener("click", () => refreshOutbox());

// --- demo users and pools ----------------------------------------------------

function usePool(i) {
  const p = demo.pools[i];
  if (!p) return;
  $("poolChoice").value = String(i);
  $("userPoolId").value = p.userPoolId;
  $("clientId").value = p.clientId;
}

function listUsers() {
  const table = $("demo-users");
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const h of ["User", "Password", "Pool", "What it shows", ""]) {
    const th = document.createElement("th");
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  demo.pools.forEach((p, i) => {
    for (const u of p.users || []) {
      const tr = body.insertRow();
      tr.dataset.username = u.username;
      tr.insertCell().textContent = u.username;
      tr.insertCell().textContent = u.password;
      tr.insertCell().textContent = p.name || p.userPoolId;
      tr.insertCell().textContent = u.note || "";
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "Use";
      b.addEventListener("click", () => {
        usePool(i);
        $("username").value = u.username;
        $("password").value = u.password;
        // The user's own flow, else the default: never the previous user's.
        $("authFlow").value = u.flow || "USER_SRP_AUTH";
        $("preferredChallenge").value = "";
        $("authFlow").dispatchEvent(new Event("change"));
        $("username").scrollIntoView({ block: "nearest" });
      });
      tr.insertCell().append(b);
    }
  });
  $("users-card").hidden = !body.rows.length;
}

// preloaded returns the URL of the page's <link rel="preload" id=...>: the
// demo server names the module by its content-hashed URL there. Without it
// the shim's default (next to cognito-wasm.js) applies.
function preloaded(id) {
  const link = document.getElementById(id);
  return link ? link.href : undefined;
}

async function main() {
  // The module loads (and compiles) while the config is fetched; a failure is
  // reported below, where it is awaited.
  const loading = loadCognitoWasm({ wasmUrl: preloaded("cognito-wasm-module") });
  loading.catch(() => {});
  try {
    const res = await fetch("demo-config.json", { credentials: "omit" });
    if (res.ok) {
      const cfg = await res.json();
      for (const k of ["userPoolId", "clientId", "region", "endpoint"]) if (cfg[k]) $(k).value = cfg[k];
      demo = { pools: cfg.pools || [] };
      const sel = $("poolChoice");
      demo.pools.forEach((p, i) => sel.add(new Option(`${p.name || p.userPoolId} (${p.userPoolId})`, String(i))));
      $("pool-choice-label").hidden = demo.pools.length < 2;
      sel.addEventListener("change", () => usePool(Number(sel.value)));
      listUsers();
    }
  } catch {
    // Served without the demo server: the fields stay empty for a real pool.
  }
  try {
    const mod = await loading;
    setStatus(`Ready: cognito-wasm ${(mod && mod.version) || ""} loaded.`.replace("  ", " "));
    $("signin").disabled = false;
    document.body.dataset.ready = "true";
  } catch (err) {
    setStatus(`Could not load the WebAssembly module: ${err.message}`);
    document.body.dataset.ready = "failed";
  }
}

main();
