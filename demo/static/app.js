// The demo page: pool settings, a sign-in form, a prompt for each challenge,
// and the decoded claims of the tokens. All Cognito traffic goes through the
// cognito-wasm shim; this file only renders.
import { loadCognitoWasm, createAuth } from "./dist/cognito-wasm.js";

const $ = (id) => document.getElementById(id);

// What each challenge asks the user for: [answer key, label, input type].
const challengePrompts = {
  NEW_PASSWORD_REQUIRED: { text: "Your administrator requires a new password.", fields: [["NEW_PASSWORD", "New password", "password"]] },
  SMS_MFA: { text: "Enter the code sent by SMS.", fields: [["SMS_MFA_CODE", "SMS code", "text"]] },
  SMS_OTP: { text: "Enter the code sent by SMS.", fields: [["SMS_OTP_CODE", "SMS code", "text"]] },
  EMAIL_OTP: { text: "Enter the code sent by email.", fields: [["EMAIL_OTP_CODE", "Email code", "text"]] },
  SOFTWARE_TOKEN_MFA: { text: "Enter the code from your authenticator app.", fields: [["SOFTWARE_TOKEN_MFA_CODE", "Authenticator code", "text"]] },
  SELECT_MFA_TYPE: { text: "Choose how to verify.", choicesFrom: "MFAS_CAN_CHOOSE" },
  SELECT_CHALLENGE: { text: "Choose how to sign in.", choicesFrom: "AVAILABLE_CHALLENGES" },
  CUSTOM_CHALLENGE: { text: "Answer the challenge.", fields: [["ANSWER", "Answer", "text"]] },
};

// Plain words for the errors a user can meet; the exact name and message are shown beneath.
const plainWords = {
  NotAuthorizedException: "The username or password is not right.",
  UserNotFoundException: "There is no user with that name in this pool.",
  UserNotConfirmedException: "This user has not confirmed their account yet.",
  PasswordResetRequiredException: "This user must reset their password first.",
  InvalidParameterException: "Something in the request was not valid.",
  ResourceNotFoundException: "The user pool or app client was not found: check the pool settings.",
  TooManyRequestsException: "Too many requests: wait a moment and try again.",
  CodeMismatchException: "That code is not right.",
  ExpiredCodeException: "That code has expired.",
  InvalidPasswordException: "That password does not meet the pool's password policy.",
};

let auth = null;
let authKey = "";
let step = null;
let lastTokens = null;
let lastUsername = "";

function poolConfig() {
  const cfg = { userPoolId: $("userPoolId").value.trim(), clientId: $("clientId").value.trim() };
  const region = $("region").value.trim();
  const endpoint = $("endpoint").value.trim();
  if (region) cfg.region = region;
  if (endpoint) cfg.endpoint = endpoint;
  return cfg;
}

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

function showError(err) {
  const name = (err && err.name) || "Error";
  const message = (err && err.message) || String(err);
  const box = $("error");
  box.replaceChildren();
  const main = document.createElement("span");
  main.textContent = plainWords[name] || message;
  const detail = document.createElement("small");
  detail.textContent = `${name}: ${message}`;
  box.append(main, detail);
  box.hidden = false;
  $("tokens").hidden = true;
  $("result-card").hidden = false;
  $("result-card").dataset.state = "error";
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
  $("challenge-card").hidden = true;
  $("signed-in").textContent = `Signed in as ${id["cognito:username"] || access.username || id.sub}.`;
  const minutes = Math.round((id.exp * 1000 - Date.now()) / 60000);
  $("expiry").textContent = `The tokens expire at ${new Date(id.exp * 1000).toLocaleString()} (in ${minutes} minutes).`;
  fillClaims($("id-claims"), id);
  fillClaims($("access-claims"), access);
  $("tokens").hidden = false;
  $("result-card").hidden = false;
  $("result-card").dataset.state = "tokens";
}

function showChallenge(s) {
  const prompt = challengePrompts[s.challengeName];
  $("challenge-title").textContent = s.challengeName;
  $("challenge-text").textContent = prompt ? prompt.text : "Cognito asks for more. Enter each answer the challenge needs.";
  const fields = $("challenge-fields");
  fields.replaceChildren();
  const add = (name, label, type) => {
    const l = document.createElement("label");
    l.textContent = label;
    const input = document.createElement("input");
    input.name = name;
    input.type = type;
    input.required = true;
    l.append(input);
    fields.append(l);
  };
  if (prompt && prompt.choicesFrom) {
    const l = document.createElement("label");
    l.textContent = "Choice";
    const sel = document.createElement("select");
    sel.name = "ANSWER";
    let choices = [];
    try { choices = JSON.parse(s.parameters[prompt.choicesFrom] || "[]"); } catch { choices = []; }
    for (const c of choices) sel.add(new Option(c, c));
    l.append(sel);
    fields.append(l);
  } else if (prompt) {
    for (const f of prompt.fields) add(...f);
  } else {
    add("ANSWER", "Answer", "text");
  }
  if (s.challengeName === "NEW_PASSWORD_REQUIRED") {
    let required = [];
    try { required = JSON.parse(s.parameters.requiredAttributes || "[]"); } catch { required = []; }
    for (const attr of required) add(attr, attr.replace(/^userAttributes\./, ""), "text");
  }
  $("challenge-card").hidden = false;
  $("challenge-card").dataset.challenge = s.challengeName;
  $("result-card").hidden = true;
  $("result-card").dataset.state = "challenge";
}

function handleStep(s) {
  step = s;
  if (s.type === "tokens") showTokens(s.tokens);
  else showChallenge(s);
}

async function run(button, work) {
  button.disabled = true;
  try { await work(); } catch (err) { showError(err); } finally { button.disabled = false; }
}

$("signin-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  lastTokens = null;
  lastUsername = $("username").value.trim();
  run($("signin"), async () => {
    const a = await currentAuth();
    handleStep(await a.signIn({ username: lastUsername, password: $("password").value, authFlow: $("authFlow").value }));
  });
});

$("challenge-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const answers = {};
  for (const el of $("challenge-fields").querySelectorAll("input, select")) answers[el.name] = el.value;
  run($("challenge-submit"), async () => handleStep(await (await currentAuth()).respond(step, answers)));
});

$("refresh").addEventListener("click", () => {
  run($("refresh"), async () => {
    const claims = decodeJwt(lastTokens.accessToken);
    handleStep(await (await currentAuth()).refresh({ refreshToken: lastTokens.refreshToken, username: claims.username }));
  });
});

$("signout").addEventListener("click", () => {
  lastTokens = null;
  $("result-card").hidden = true;
  setStatus("Signed out (tokens forgotten by this page).");
});

async function main() {
  try {
    const res = await fetch("demo-config.json", { credentials: "omit" });
    if (res.ok) {
      const cfg = await res.json();
      for (const k of ["userPoolId", "clientId", "region", "endpoint"]) if (cfg[k]) $(k).value = cfg[k];
      if (cfg.users && cfg.users.length) {
        $("demo-users").textContent = "Demo users: " + cfg.users.map((u) => `${u.username} / ${u.password}`).join(", ");
      }
    }
  } catch {
    // Served without the demo server: the fields stay empty for a real pool.
  }
  try {
    const mod = await loadCognitoWasm();
    setStatus(`Ready: cognito-wasm ${(mod && mod.version) || ""} loaded.`.replace("  ", " "));
    $("signin").disabled = false;
    document.body.dataset.ready = "true";
  } catch (err) {
    setStatus(`Could not load the WebAssembly module: ${err.message}`);
    document.body.dataset.ready = "failed";
  }
}

main();
