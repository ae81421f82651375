// The demo page: pool settings (with where the session is kept), sign-in,
// sign-up and password reset with one prompt for each next step, the signed-in
// session (its claims, groups, refreshes and sign-out) and the account (attributes,
// password, MFA, remembered devices, passkeys), and a developer panel with the
// emulator's outbox. All Cognito
// traffic goes through the cognito-wasm shim; this file only renders.
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
  UsernameExistsException: "That username is taken. Choose another.",
  AliasExistsException: "Another account already uses that email or phone number.",
  UserUnAuthenticatedException: "Nobody is signed in.",
  DeviceMetadataNotFoundException: "This browser keeps no device for you: this pool does not track devices.",
  PasskeyNotSupported: "This browser cannot use passkeys on this page: passkeys need a secure context (https, or the page's localhost address).",
  PasskeyRegistrationCanceled: "The passkey was not made: the browser's prompt was closed.",
  PasskeyAlreadyExists: "This authenticator already holds a passkey for you.",
  PasskeyAuthCanceled: "The passkey was not used: the browser's prompt was closed.",
  PasskeyOperationAborted: "The browser stopped the passkey prompt.",
  RelyingPartyMismatch: "The pool's passkey relying party does not match this page's address: open the page at the pool's relying party (for the demo pool, its localhost address).",
  WebAuthnOriginNotAllowedException: "The pool does not accept passkeys from this page's address.",
  WebAuthnNotEnabledException: "This pool does not offer passkeys.",
  WebAuthnConfigurationMissingException: "This pool does not offer passkeys.",
};

// Words for the choices a step offers.
const mfaNames = { SMS: "Text message (SMS)", TOTP: "Authenticator app (TOTP)", EMAIL: "Email" };
const factorNames = {
  PASSWORD: "Password (sent over TLS)",
  PASSWORD_SRP: "Password (SRP: it never leaves the page)",
  EMAIL_OTP: "A code sent by email",
  SMS_OTP: "A code sent by SMS",
  WEB_AUTHN: "Passkey (the browser asks for it)",
};

const APP_NAME = "cognito-wasm demo";

let auth = null;
let authKey = "";
let demo = { pools: [] };
let readyText = ""; // the status line once the module is loaded
let username = ""; // the user being signed in, signed up or reset (the outbox shows their codes)
let seq = 0;
let currentSubmit = null; // what the step form's submit does (confirmSignIn, confirmSignUp, ...)
let outboxLoads = 0;
let signedIn = false;
let sessionTimer = 0;

// The session check runs this often while someone is signed in: each
// fetchAuthSession refreshes the tokens when they are about to expire.
const SESSION_CHECK_MS = 15000;

// The page's own settings (not tokens): which pool, client and storage, so a
// reload finds a session kept in localStorage or sessionStorage again.
const SETTINGS_KEY = "cognito-wasm-demo.settings";

function poolConfig() {
  const cfg = { userPoolId: $("userPoolId").value.trim(), clientId: $("clientId").value.trim() };
  const region = $("region").value.trim();
  const endpoint = $("endpoint").value.trim();
  if (region) cfg.region = region;
  if (endpoint) cfg.endpoint = endpoint;
  cfg.storage = $("storage").value;
  return cfg;
}

// One auth handle per pool settings: it keeps the pending step inside the
// module, and the session in the storage chosen.
async function currentAuth() {
  const cfg = poolConfig();
  const key = JSON.stringify(cfg);
  if (!auth || key !== authKey) {
    const a = await createAuth(cfg);
    for (const type of ["signedIn", "tokenRefresh", "tokenRefresh_failure", "signedOut"]) {
      a.events.addEventListener(type, (ev) => { if (a === auth) logEvent(type, ev.detail); });
    }
    auth = a;
    authKey = key;
  }
  return auth;
}

function saveSettings() {
  const { userPoolId, clientId, storage } = poolConfig();
  try { localStorage.setItem(SETTINGS_KEY, JSON.stringify({ userPoolId, clientId, storage })); } catch { /* private mode */ }
}

function savedSettings() {
  try { return JSON.parse(localStorage.getItem(SETTINGS_KEY) || "{}") || {}; } catch { return {}; }
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
  signedIn = false; // the periodic check stops until the next sign-in or visit
  clearInterval(sessionTimer);
  $("tokens").hidden = true;
  $("account-card").hidden = true;
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

// result shows the outcome of an account action right under its form.
function result(box, text) {
  box.replaceChildren(text);
  box.dataset.state = "ok";
  box.hidden = false;
  box.scrollIntoView({ block: "nearest", behavior: "instant" });
}

function resultError(box, err) {
  errorBox(box, err);
  box.classList.remove("error");
  box.dataset.state = "error";
  box.scrollIntoView({ block: "nearest", behavior: "instant" });
}

// action runs an account action from a button: its result (or error) goes
// in box, and body[data-outcome] says which ("name:ok" or "error").
function action(button, box, name, work) {
  run(button, async () => {
    box.hidden = true;
    await work();
    settle(name + ":ok");
  }, (err) => { resultError(box, err); settle("error"); });
}

// notice tells the user, in the sign-in card, what just happened (signed out,
// signed up, password changed) and brings it into view.
function notice(text, bad) {
  $("notice").textContent = text;
  $("notice").classList.toggle("bad", !!bad);
  $("notice").hidden = false;
  reveal($("signin-card"));
}

// showSession draws a session from fetchAuthSession: who, until when, the
// groups from the id token, and both tokens' claims.
function showSession(s) {
  const id = s.tokens.idToken ? s.tokens.idToken.payload : {};
  const access = s.tokens.accessToken.payload;
  $("error").hidden = true;
  $("signed-in").textContent = `Signed in as ${id["cognito:username"] || access.username || s.userSub}.`;
  const exp = access.exp;
  const minutes = Math.round((exp * 1000 - Date.now()) / 60000);
  const expiry = $("expiry");
  expiry.textContent = `The tokens expire at ${new Date(exp * 1000).toLocaleString()} (in ${minutes} minutes); ` +
    "the page checks the session every 15 seconds and the module refreshes them shortly before.";
  expiry.dataset.exp = String(exp);
  const groups = Array.isArray(id["cognito:groups"]) ? id["cognito:groups"] : [];
  $("groups").textContent = groups.length ? groups.join(", ") : "none";
  $("groups").dataset.groups = JSON.stringify(groups);
  $("session-line").textContent = `Session kept in ${$("storage").value}.`;
  fillClaims($("id-claims"), id);
  fillClaims($("access-claims"), access);
  $("tokens").hidden = false;
  $("result-card").hidden = false;
  $("result-card").dataset.state = "tokens";
}

// showSignedIn shows the session and the account page, loaded before the
// call ends (body[data-outcome] "DONE") so what is on screen is complete.
async function showSignedIn() {
  const a = await currentAuth();
  const s = await a.fetchAuthSession();
  if (!s.tokens) throw Object.assign(new Error("signed in, but the module holds no tokens"), { name: "UserUnAuthenticatedException" });
  const user = await a.getCurrentUser();
  username = user.username;
  signedIn = true;
  $("step-card").hidden = true;
  $("notice").hidden = true;
  showSession(s);
  for (const box of ["session-result", "attributes-result", "password-result", "mfa-result", "devices-result", "passkeys-result", "delete-result"]) $(box).hidden = true;
  $("verify-form").hidden = true;
  $("totp-form").hidden = true;
  $("delete-confirm").hidden = true;
  $("account-card").hidden = false;
  await Promise.all([
    loadAttributes().catch((err) => resultError($("attributes-result"), err)),
    loadMFA().catch((err) => resultError($("mfa-result"), err)),
    loadDevices().catch((err) => resultError($("devices-result"), err)),
    loadPasskeys().catch((err) => resultError($("passkeys-result"), err)),
  ]);
  clearInterval(sessionTimer);
  sessionTimer = setInterval(checkSession, SESSION_CHECK_MS);
  reveal($("result-card"));
}

// showSignedOut closes the session and account cards and says why.
function showSignedOut(text, bad) {
  signedIn = false;
  clearInterval(sessionTimer);
  if (readyText) setStatus(readyText);
  $("result-card").hidden = true;
  $("account-card").hidden = true;
  $("step-card").hidden = true;
  if (text) notice(text, bad);
}

// checkSession asks the module for the session, as an app does before each
// call: it refreshes tokens near expiry. The periodic check stays quiet
// unless the session has ended.
async function checkSession() {
  if (!signedIn) return;
  try {
    const s = await (await currentAuth()).fetchAuthSession();
    if (s.tokens) showSession(s);
    else showSignedOut("Your session has ended: sign in again.", true);
  } catch (err) {
    resultError($("session-result"), err);
  }
}

function logEvent(type, detail) {
  const li = document.createElement("li");
  li.dataset.type = type;
  li.dataset.at = String(Date.now()); // the page's clock when the module fired it
  const who = detail && detail.username ? ` (${detail.username})` : "";
  li.textContent = `${new Date().toLocaleTimeString()} ${type}${who}`;
  const list = $("events");
  list.prepend(li);
  while (list.children.length > 20) list.lastChild.remove();
  if (type === "tokenRefresh") checkSession();
  if (type === "tokenRefresh_failure") notice("The tokens could not be refreshed: sign in again.", true);
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
function drawQR(uri, id) {
  const qr = qrcode(0, "M");
  qr.addData(uri);
  qr.make();
  const cell = 4, margin = 4 * cell, n = qr.getModuleCount();
  const canvas = document.createElement("canvas");
  canvas.id = id;
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
    if (uri) extra.append(drawQR(uri, "totp-qr"));
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
  // Sign-in answers these two with other calls than confirmSignIn: the
  // prompts do them (submit), for the user just typed.
  CONFIRM_SIGN_UP: () => confirmSignUpPrompt(username, null,
    "This user has not confirmed their account yet. Send a code, enter it, then sign in again."),
  RESET_PASSWORD: () => ({
    title: "Reset the password first",
    text: "This user must reset their password before signing in. Send a code to choose a new one.",
    extra: button("Send me a code", "reset-send", () => startReset(username)),
  }),
};

// button makes a form button that runs work as a call of the step card.
function button(text, id, work) {
  const b = document.createElement("button");
  b.type = "button";
  b.id = id;
  b.textContent = text;
  b.addEventListener("click", () => run(b, work, showStepError));
  return b;
}

// confirmSignUpPrompt asks for the sign-up code of user, with a button for a
// new one; details says where the last one went.
function confirmSignUpPrompt(user, details, text) {
  return {
    title: "Confirm your account",
    text: text || where(details, "Enter the confirmation code we sent you."),
    extra: button("Send a new code", "resend-code", async () => {
      const d = await (await currentAuth()).resendSignUpCode({ username: user });
      $("step-text").textContent = where(d, "We sent a new code.");
      refreshOutbox();
      settle("CODE_SENT");
    }),
    fields: [codeInput("Confirmation code")],
    submit: async (f) => {
      const a = await currentAuth();
      afterSignUp(user, await a.confirmSignUp({ username: user, confirmationCode: f.get("code").trim() }));
    },
    outbox: true,
  };
}

// afterSignUp goes on from signUp's or confirmSignUp's nextStep.
async function afterSignUp(user, out) {
  const step = out.nextStep && out.nextStep.signUpStep;
  if (step === "CONFIRM_SIGN_UP") {
    showPrompt("CONFIRM_SIGN_UP", confirmSignUpPrompt(user, out.nextStep.codeDeliveryDetails));
  } else if (step === "COMPLETE_AUTO_SIGN_IN") {
    await handle(await (await currentAuth()).autoSignIn());
  } else {
    $("step-card").hidden = true;
    $("username").value = user;
    notice(`The account ${user} is confirmed. Sign in with it.`);
    settle("SIGNED_UP");
  }
}

// startReset sends a password-reset code to user and asks for it.
async function startReset(user) {
  username = user;
  showOutboxFor();
  const out = await (await currentAuth()).resetPassword({ username: user });
  if (out.nextStep.resetPasswordStep === "DONE") {
    notice("The password is reset.");
    settle("PASSWORD_RESET");
    return;
  }
  showPrompt("CONFIRM_RESET_PASSWORD_WITH_CODE", {
    title: "Choose a new password",
    text: where(out.nextStep.codeDeliveryDetails, "Enter the code we sent you and a new password."),
    fields: [codeInput("Code"), input("newPassword", "New password", "password", { autocomplete: "new-password" })],
    submit: async (f) => {
      await (await currentAuth()).confirmResetPassword({
        username: user, confirmationCode: f.get("code").trim(), newPassword: f.get("newPassword"),
      });
      $("step-card").hidden = true;
      $("username").value = user;
      $("password").value = "";
      notice(`The password of ${user} is changed. Sign in with the new one.`);
      settle("PASSWORD_RESET");
    },
    outbox: true,
  });
}

function showStep(nextStep) {
  const name = nextStep.signInStep;
  const make = prompts[name];
  const p = make ? make(nextStep) : { title: name, text: "This step is not drawn by the demo." };
  if (p.answer) {
    const answer = p.answer;
    p.submit = async (f) => handle(await (await currentAuth()).confirmSignIn(answer(f)));
  }
  showPrompt(name, p);
}

// showPrompt draws prompt p in the step card; name is the step it is for.
function showPrompt(name, p) {
  $("step-title").textContent = p.title;
  $("step-text").textContent = p.text || "";
  $("step-extra").replaceChildren(...(p.extra ? [p.extra] : []));
  $("step-fields").replaceChildren(...(p.fields || []));
  $("step-error").hidden = true;
  $("step-submit").hidden = !p.submit;
  $("step-name").textContent = name;
  const card = $("step-card");
  card.dataset.step = name;
  delete card.dataset.state;
  card.hidden = false;
  currentSubmit = p.submit || null;
  $("result-card").hidden = true;
  $("account-card").hidden = true;
  $("result-card").dataset.state = "challenge";
  reveal(card);
  const first = $("step-fields").querySelector("input:not([type=radio])");
  if (first) first.focus({ preventScroll: true });
  if (p.outbox) refreshOutbox();
  settle(name);
}


async function handle(result) {
  if (result.isSignedIn || result.nextStep.signInStep === "DONE") {
    await showSignedIn();
    settle("DONE");
  } else {
    showStep(result.nextStep);
  }
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
  username = $("username").value.trim();
  const flow = $("authFlow").value;
  const options = { authFlowType: flow };
  const preferred = $("preferredChallenge").value;
  if (flow === "USER_AUTH" && preferred) options.preferredChallenge = preferred;
  const input = { username, options };
  const password = $("password").value;
  if (password) input.password = password;
  showOutboxFor();
  $("notice").hidden = true;
  run($("signin"), async () => handle(await (await currentAuth()).signIn(input)), showError);
});

// A passkey sign-in: USER_AUTH with WEB_AUTHN first; the module answers
// Cognito's challenge with navigator.credentials.get (the browser's prompt).
$("signin-passkey").addEventListener("click", () => {
  const user = $("username").value.trim();
  if (!user) {
    notice("Enter your username or email above first, then choose \u201cSign in with a passkey\u201d.", true);
    $("username").focus();
    settle("error");
    return;
  }
  username = user;
  showOutboxFor();
  $("notice").hidden = true;
  run($("signin-passkey"), async () => handle(await (await currentAuth()).signIn({
    username: user, options: { authFlowType: "USER_AUTH", preferredChallenge: "WEB_AUTHN" },
  })), showError);
});

$("forgot").addEventListener("click", () => {
  const user = $("username").value.trim();
  if (!user) {
    notice("Enter your username or email above first, then choose \u201cForgot your password?\u201d.", true);
    $("username").focus();
    settle("error");
    return;
  }
  $("notice").hidden = true;
  run($("forgot"), () => startReset(user), showError);
});

$("signup-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const user = $("signup-username").value.trim();
  const userAttributes = { email: $("signup-email").value.trim() };
  const name = $("signup-name").value.trim();
  if (name) userAttributes.name = name;
  username = user;
  showOutboxFor();
  $("notice").hidden = true;
  run($("signup"), async () => {
    const out = await (await currentAuth()).signUp({
      username: user, password: $("signup-password").value, options: { userAttributes, autoSignIn: true },
    });
    await afterSignUp(user, out);
  }, showError);
});

$("step-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  if (!currentSubmit) return;
  const submit = currentSubmit;
  const form = new FormData($("step-form"));
  run($("step-submit"), () => submit(form), showStepError);
});

// --- the session: check, refresh, sign out -----------------------------------

$("check-session").addEventListener("click", () => {
  action($("check-session"), $("session-result"), "session", async () => {
    const s = await (await currentAuth()).fetchAuthSession();
    if (!s.tokens) {
      showSignedOut("Your session has ended: sign in again.", true);
      return;
    }
    showSession(s);
    result($("session-result"), `The session is valid until ${new Date(s.tokens.accessToken.payload.exp * 1000).toLocaleTimeString()}.`);
  });
});

$("refresh").addEventListener("click", () => {
  run($("refresh"), async () => {
    const s = await (await currentAuth()).fetchAuthSession({ forceRefresh: true });
    if (!s.tokens) throw Object.assign(new Error("no session to refresh"), { name: "UserUnAuthenticatedException" });
    showSession(s);
    result($("session-result"), "New tokens from the refresh token.");
    settle("DONE");
  }, showError);
});

function signOutButton(id, global) {
  $(id).addEventListener("click", () => {
    action($(id), $("session-result"), "signedOut", async () => {
      const who = username;
      await (await currentAuth()).signOut({ global });
      showSignedOut(global
        ? `Signed out everywhere: every session of ${who} has ended, on every device.`
        : `Signed out of ${who} on this device: the refresh token is revoked and the tokens are gone from ${$("storage").value}.`);
    });
  });
}
signOutButton("signout", false);
signOutButton("signout-global", true);

// --- the account: attributes, password, MFA ----------------------------------

// Attributes the user cannot set: Cognito sets them.
const readOnly = new Set(["sub", "email_verified", "phone_number_verified", "identities"]);
const verifiable = { email: "email_verified", phone_number: "phone_number_verified" };

async function loadAttributes() {
  const attrs = await (await currentAuth()).fetchUserAttributes();
  const table = $("attributes");
  table.replaceChildren();
  const names = Object.keys(attrs).sort((a, b) => (a === "sub" ? -1 : b === "sub" ? 1 : a.localeCompare(b)));
  for (const k of names) {
    const tr = table.insertRow();
    tr.dataset.attribute = k;
    const th = document.createElement("th");
    th.textContent = k;
    tr.append(th);
    const value = tr.insertCell();
    const status = tr.insertCell();
    if (readOnly.has(k)) {
      value.textContent = attrs[k];
      continue;
    }
    const el = document.createElement("input");
    el.name = "attr:" + k;
    el.value = attrs[k];
    el.dataset.original = attrs[k];
    el.setAttribute("aria-label", k);
    value.append(el);
    if (verifiable[k]) {
      if (attrs[verifiable[k]] === "true") {
        status.textContent = "verified";
        status.className = "verified";
      } else {
        status.className = "unverified";
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = "Verify";
        b.dataset.verify = k;
        b.addEventListener("click", () => action(b, $("attributes-result"), "verify-code", async () => {
          const d = await (await currentAuth()).sendUserAttributeVerificationCode({ userAttributeKey: k });
          askVerify(k, d);
        }));
        status.append("not verified ", b);
      }
    } else if (k !== "email" && k !== "phone_number") {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "Remove";
      b.dataset.remove = k;
      b.addEventListener("click", () => action(b, $("attributes-result"), "attributes", async () => {
        await (await currentAuth()).deleteUserAttributes({ userAttributeKeys: [k] });
        await loadAttributes();
        result($("attributes-result"), `Removed ${k}.`);
      }));
      status.append(b);
    }
  }
}

// askVerify shows the code form for attribute key, saying where the code went.
function askVerify(key, details) {
  const form = $("verify-form");
  form.dataset.attribute = key;
  $("verify-text").textContent = where(details, `Enter the code we sent to verify ${key}.`);
  $("verify-code").value = "";
  form.hidden = false;
  refreshOutbox();
  form.scrollIntoView({ block: "nearest", behavior: "instant" });
  $("verify-code").focus({ preventScroll: true });
}

$("attributes-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  action($("save-attributes"), $("attributes-result"), "attributes", async () => {
    const userAttributes = {};
    for (const el of $("attributes").querySelectorAll("input[data-original]")) {
      if (el.value !== el.dataset.original) userAttributes[el.name.slice(5)] = el.value.trim();
    }
    const extra = $("new-attribute-name").value.trim();
    if (extra) userAttributes[extra] = $("new-attribute-value").value.trim();
    const keys = Object.keys(userAttributes);
    if (!keys.length) {
      result($("attributes-result"), "Nothing to save: change a value or add an attribute first.");
      return;
    }
    const out = await (await currentAuth()).updateUserAttributes({ userAttributes });
    $("new-attribute-name").value = "";
    $("new-attribute-value").value = "";
    await loadAttributes();
    const toVerify = keys.filter((k) => out[k] && out[k].nextStep && out[k].nextStep.updateAttributeStep === "CONFIRM_ATTRIBUTE_WITH_CODE");
    const saved = keys.filter((k) => !toVerify.includes(k));
    const parts = [];
    if (saved.length) parts.push(`Saved ${saved.join(", ")}.`);
    if (toVerify.length) {
      parts.push(`${toVerify.join(", ")} needs verifying: enter the code below.`);
      askVerify(toVerify[0], out[toVerify[0]].nextStep.codeDeliveryDetails);
    } else {
      $("verify-form").hidden = true;
    }
    result($("attributes-result"), parts.join(" "));
  });
});

$("verify-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const key = $("verify-form").dataset.attribute;
  action($("verify"), $("attributes-result"), "verify", async () => {
    await (await currentAuth()).confirmUserAttribute({ userAttributeKey: key, confirmationCode: $("verify-code").value.trim() });
    $("verify-form").hidden = true;
    await loadAttributes();
    result($("attributes-result"), `${key} is verified.`);
  });
});

$("password-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  action($("change-password"), $("password-result"), "password", async () => {
    await (await currentAuth()).updatePassword({ oldPassword: $("old-password").value, newPassword: $("new-password").value });
    $("old-password").value = "";
    $("new-password").value = "";
    result($("password-result"), "Password changed. Use the new one next time you sign in.");
  });
});

$("delete-account").addEventListener("click", () => {
  $("delete-confirm").hidden = false;
  $("delete-confirm").scrollIntoView({ block: "nearest", behavior: "instant" });
});
$("delete-cancel").addEventListener("click", () => { $("delete-confirm").hidden = true; });
$("delete-confirmed").addEventListener("click", () => {
  action($("delete-confirmed"), $("delete-result"), "deleted", async () => {
    const who = username;
    await (await currentAuth()).deleteUser();
    $("delete-confirm").hidden = true;
    showSignedOut(`The account ${who} is deleted, and you are signed out.`);
  });
});

const mfaTypes = { totp: "TOTP", email: "EMAIL", sms: "SMS" };
const mfaChoices = { DISABLED: "off", ENABLED: "on", PREFERRED: "on, preferred" };

async function loadMFA() {
  const pref = await (await currentAuth()).fetchMFAPreference();
  const enabled = pref.enabled || [];
  for (const [key, type] of Object.entries(mfaTypes)) {
    const sel = $("mfa-" + key);
    const now = pref.preferred === type ? "PREFERRED" : enabled.includes(type) ? "ENABLED" : "DISABLED";
    sel.replaceChildren(...Object.entries(mfaChoices).map(([v, words]) => new Option(words, v, false, v === now)));
    sel.dataset.current = now;
  }
  $("mfa-current").textContent = enabled.length
    ? `On: ${enabled.map((t) => mfaNames[t] || t).join(", ")}` + (pref.preferred ? `; asked for first: ${mfaNames[pref.preferred] || pref.preferred}.` : ".")
    : "No second factor is on: signing in takes the password only.";
  $("mfa-current").dataset.enabled = enabled.join(",");
  $("mfa-current").dataset.preferred = pref.preferred || "";
}

$("mfa-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  action($("save-mfa"), $("mfa-result"), "mfa", async () => {
    const input = {};
    for (const key of Object.keys(mfaTypes)) {
      const sel = $("mfa-" + key);
      if (sel.value === sel.dataset.current) continue;
      // Turned down from preferred to on: no longer preferred.
      input[key] = sel.value === "ENABLED" && sel.dataset.current === "PREFERRED" ? "NOT_PREFERRED" : sel.value;
    }
    if (!Object.keys(input).length) {
      result($("mfa-result"), "Nothing to save: change a setting first.");
      return;
    }
    await (await currentAuth()).updateMFAPreference(input);
    await loadMFA();
    result($("mfa-result"), `MFA settings saved. ${$("mfa-current").textContent}`);
  });
});

$("setup-totp").addEventListener("click", () => {
  action($("setup-totp"), $("mfa-result"), "totp-setup", async () => {
    const details = await (await currentAuth()).setUpTOTP();
    const uri = String(details.getSetupUri(APP_NAME, username));
    const box = $("totp-setup");
    const secret = document.createElement("p");
    const code = document.createElement("code");
    code.id = "account-totp-secret";
    code.textContent = details.sharedSecret;
    secret.append("Scan the QR code with an authenticator app, or type this secret: ", code);
    box.replaceChildren(drawQR(uri, "account-totp-qr"), secret);
    box.dataset.uri = uri;
    $("totp-code").value = "";
    $("totp-form").hidden = false;
    $("totp-form").scrollIntoView({ block: "nearest", behavior: "instant" });
    $("totp-code").focus({ preventScroll: true });
  });
});

$("totp-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  action($("verify-totp"), $("mfa-result"), "totp", async () => {
    const a = await currentAuth();
    const input = { code: $("totp-code").value.trim() };
    const name = $("totp-device").value.trim();
    if (name) input.options = { friendlyDeviceName: name };
    await a.verifyTOTPSetup(input);
    const prefer = $("totp-prefer").checked;
    if (prefer) await a.updateMFAPreference({ totp: "PREFERRED" });
    $("totp-form").hidden = true;
    $("totp-setup").replaceChildren();
    await loadMFA();
    result($("mfa-result"), prefer
      ? "Authenticator app added: signing in now asks for its code."
      : "Authenticator app added. Turn it on above to be asked for its code.");
  });
});

// --- this device and passkeys ---------------------------------------------------

function when(d) {
  return d instanceof Date && !isNaN(d) ? d.toLocaleString() : "";
}

// fillList draws rows (arrays of cell texts, with a button last) in table,
// under head; none shows when there are no rows.
function fillList(table, none, head, rows) {
  table.replaceChildren();
  none.hidden = rows.length > 0;
  table.dataset.count = String(rows.length);
  if (!rows.length) return;
  const tr = table.createTHead().insertRow();
  for (const h of head) {
    const th = document.createElement("th");
    th.textContent = h;
    tr.append(th);
  }
  const body = table.createTBody();
  for (const r of rows) {
    const row = body.insertRow();
    for (const [k, v] of Object.entries(r.data)) row.dataset[k] = v;
    for (const c of r.cells) row.insertCell().append(c);
  }
}

function listButton(text, data, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  Object.assign(b.dataset, data);
  b.addEventListener("click", () => onClick(b));
  return b;
}

const rememberedWords = { remembered: "remembered", not_remembered: "not remembered" };

async function loadDevices() {
  const a = await currentAuth();
  const [list, s] = await Promise.all([a.fetchDevices(), a.fetchAuthSession()]);
  // The access token names the device this browser signed in with.
  const here = (s.tokens && s.tokens.accessToken.payload.device_key) || "";
  fillList($("devices"), $("devices-none"), ["Device", "Status", "Last sign-in", ""], list.map((d) => {
    const status = (d.attributes || {})["dev:device_remembered_status"] || "";
    const name = (d.name || d.id) + (d.id === here ? " (this browser)" : "");
    return {
      data: { device: d.id, status, here: String(d.id === here) },
      cells: [name, rememberedWords[status] || status, when(d.lastAuthenticatedDate),
        listButton("Forget", { forget: d.id }, (b) => action(b, $("devices-result"), "device-forgotten", async () => {
          await (await currentAuth()).forgetDevice({ device: { id: d.id } });
          await loadDevices();
          result($("devices-result"), `Forgot the device ${d.name || d.id}: signing in on it asks for MFA again.`);
        }))],
    };
  }));
}

$("remember-device").addEventListener("click", () => {
  action($("remember-device"), $("devices-result"), "device-remembered", async () => {
    await (await currentAuth()).rememberDevice();
    await loadDevices();
    result($("devices-result"), "This device is remembered: signing in here skips the MFA code.");
  });
});

async function loadPasskeys() {
  const all = [];
  let nextToken;
  do {
    const page = await (await currentAuth()).listWebAuthnCredentials(nextToken ? { pageSize: 20, nextToken } : { pageSize: 20 });
    all.push(...page.credentials);
    nextToken = page.nextToken;
  } while (nextToken && all.length < 100);
  fillList($("passkeys"), $("passkeys-none"), ["Passkey", "Kind", "Added", ""], all.map((c) => ({
    data: { credential: c.credentialId || "" },
    cells: [c.friendlyCredentialName || c.credentialId || "", c.authenticatorAttachment || "", when(c.createdAt),
      listButton("Delete", { deletePasskey: c.credentialId || "" }, (b) => action(b, $("passkeys-result"), "passkey-deleted", async () => {
        await (await currentAuth()).deleteWebAuthnCredential({ credentialId: c.credentialId });
        await loadPasskeys();
        result($("passkeys-result"), `Deleted the passkey ${c.friendlyCredentialName || c.credentialId}.`);
      }))],
  })));
}

$("add-passkey").addEventListener("click", () => {
  action($("add-passkey"), $("passkeys-result"), "passkey-added", async () => {
    await (await currentAuth()).associateWebAuthnCredential();
    await loadPasskeys();
    result($("passkeys-result"), "Passkey added: choose \u201cSign in with a passkey\u201d next time.");
  });
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

function usePool(i, clientId) {
  const p = demo.pools[i];
  if (!p) return;
  $("poolChoice").value = String(i);
  $("userPoolId").value = p.userPoolId;
  const clients = p.clients && p.clients.length ? p.clients : [{ id: p.clientId }];
  const sel = $("clientChoice");
  sel.replaceChildren(...clients.map((c) => new Option(
    `${c.name || c.id}${c.accessTokenMinutes ? ` (tokens valid ${c.accessTokenMinutes} minutes)` : ""}`, c.id)));
  $("client-choice-label").hidden = clients.length < 2;
  const client = clients.find((c) => c.id === clientId) || clients[0];
  sel.value = client.id;
  $("clientId").value = client.id;
}

// settingsChanged keeps the new settings and looks for a session kept under
// them (another storage, pool or client holds another session, or none).
function settingsChanged() {
  saveSettings();
  if (document.body.dataset.ready !== "true") return;
  run($("signin"), async () => {
    await restoreSession();
    settle(signedIn ? "session:found" : "session:none");
  }, showError);
}

// restoreSession shows the session the module finds in the storage chosen,
// if any: no sign-in needed.
async function restoreSession() {
  const a = await currentAuth();
  const s = await a.fetchAuthSession();
  if (s.tokens) {
    await showSignedIn();
    setStatus(`Signed in as ${username}: the session was found in ${$("storage").value}.`);
  } else {
    showSignedOut();
  }
  document.body.dataset.session = signedIn ? "signed-in" : "signed-out";
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
        saveSettings();
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
      sel.addEventListener("change", () => { usePool(Number(sel.value)); settingsChanged(); });
      usePool(0);
      listUsers();
    }
  } catch {
    // Served without the demo server: the fields stay empty for a real pool.
  }
  applySavedSettings();
  $("clientChoice").addEventListener("change", () => { $("clientId").value = $("clientChoice").value; settingsChanged(); });
  for (const id of ["userPoolId", "clientId", "region", "endpoint", "storage"]) $(id).addEventListener("change", settingsChanged);
  let mod;
  try {
    mod = await loading;
  } catch (err) {
    setStatus(`Could not load the WebAssembly module: ${err.message}`);
    document.body.dataset.ready = "failed";
    return;
  }
  readyText = `Ready: cognito-wasm ${(mod && mod.version) || ""} loaded.`.replace("  ", " ");
  setStatus(readyText);
  try {
    await restoreSession();
  } catch (err) {
    showError(err);
  }
  for (const id of ["signin", "signin-passkey", "forgot", "signup"]) $(id).disabled = false;
  document.body.dataset.ready = "true";
}

// applySavedSettings puts back the pool, client and storage this page used
// last (a demo pool's client through its choices, so they match).
function applySavedSettings() {
  const saved = savedSettings();
  if (["memory", "localStorage", "sessionStorage"].includes(saved.storage)) $("storage").value = saved.storage;
  if (!saved.userPoolId || !saved.clientId) return;
  const i = demo.pools.findIndex((p) => p.userPoolId === saved.userPoolId);
  if (i >= 0) {
    usePool(i, saved.clientId);
    if ($("clientId").value === saved.clientId) return;
  }
  $("userPoolId").value = saved.userPoolId;
  $("clientId").value = saved.clientId;
}

main();
