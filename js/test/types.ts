// Type-checked by `make js-test` (tsc --noEmit): the README's usage compiles
// against cognito-wasm.d.ts, signInStep narrows nextStep, and every line
// marked as an expected error must stay an error.
import { adminInitiate, createAuth, initiate, loadCognitoWasm, respond, type SignInOutput } from "../cognito-wasm.js";

declare function prompt(question: string): string;

export async function readmeExample(): Promise<string> {
  const ns = await loadCognitoWasm({ wasmUrl: new URL("https://example.test/cognito-wasm.wasm") });
  const version: string = ns.version;
  const auth = await createAuth({ userPoolId: "us-east-1_AbC123xyz", clientId: "client", endpoint: "http://127.0.0.1:9229" });
  let result: SignInOutput = await auth.signIn({ username: "alice", password: "...", options: { authFlowType: "USER_SRP_AUTH" } });
  while (!result.isSignedIn) {
    const step = result.nextStep;
    let answer: string;
    switch (step.signInStep) {
      case "CONFIRM_SIGN_IN_WITH_SMS_CODE":
      case "CONFIRM_SIGN_IN_WITH_EMAIL_CODE":
        answer = prompt(`Code sent to ${step.codeDeliveryDetails?.destination ?? "you"}`);
        break;
      case "CONFIRM_SIGN_IN_WITH_TOTP_CODE":
        answer = prompt("Code from your authenticator app");
        break;
      case "CONTINUE_SIGN_IN_WITH_MFA_SELECTION":
        answer = step.allowedMFATypes?.[0] ?? "TOTP";
        break;
      case "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION": {
        const types: ("SMS" | "TOTP" | "EMAIL")[] = step.allowedMFATypes;
        answer = types[0];
        break;
      }
      case "CONTINUE_SIGN_IN_WITH_TOTP_SETUP": {
        const uri: URL = step.totpSetupDetails.getSetupUri("MyApp");
        const secret: string = step.totpSetupDetails.sharedSecret;
        answer = prompt(`Scan ${uri.href} or type ${secret}, then enter a code`);
        break;
      }
      case "CONTINUE_SIGN_IN_WITH_EMAIL_SETUP":
        answer = prompt("Email address for codes");
        break;
      case "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION":
        answer = step.availableChallenges?.includes("PASSWORD_SRP") ? "PASSWORD_SRP" : "EMAIL_OTP";
        break;
      case "CONFIRM_SIGN_IN_WITH_PASSWORD":
        answer = prompt("Password");
        break;
      case "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED": {
        const missing: string[] = step.missingAttributes ?? [];
        result = await auth.confirmSignIn({
          challengeResponse: prompt("New password"),
          options: { userAttributes: Object.fromEntries(missing.map((a) => [a, prompt(a)])) },
        });
        continue;
      }
      case "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE":
        answer = prompt(step.additionalInfo?.question ?? "Answer");
        break;
      case "CONFIRM_SIGN_UP":
      case "RESET_PASSWORD":
        throw new Error(step.signInStep);
    }
    result = await auth.confirmSignIn({ challengeResponse: answer, options: { friendlyDeviceName: "phone" } });
  }
  const idToken: string = result.tokens.idToken;
  const done: "DONE" = result.nextStep.signInStep;
  const raw = await initiate(
    { userPoolId: "us-east-1_x", clientId: "c" },
    { AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: "a", PASSWORD: "p" } },
  );
  const next = await respond(
    { userPoolId: "us-east-1_x", clientId: "c" },
    { ChallengeName: "SMS_MFA", ChallengeResponses: { USERNAME: "a", SMS_MFA_CODE: "1" }, Session: raw.Session },
  );
  const admin = await adminInitiate(
    { userPoolId: "us-east-1_x", clientId: "c", credentials: { accessKeyId: "AKID", secretAccessKey: "s" } },
    { AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "a", PASSWORD: "p" } },
  );
  const viaAuth = await auth.adminRespond({ ChallengeName: "NEW_PASSWORD_REQUIRED", ChallengeResponses: { USERNAME: "a", NEW_PASSWORD: "n" } });
  return idToken + done + version + String(next.AuthenticationResult?.IdToken) + String(admin.Session) + String(viaAuth.ChallengeName);
}

export async function misuses(result: SignInOutput): Promise<void> {
  // @ts-expect-error userPoolId is required
  await createAuth({ clientId: "client" });
  const auth = await createAuth({ userPoolId: "us-east-1_x", clientId: "c" });
  // @ts-expect-error the password must be a string
  await auth.signIn({ username: "alice", password: 42 });
  // @ts-expect-error authFlowType is one of Amplify's names
  await auth.signIn({ username: "alice", password: "p", options: { authFlowType: "SRP" } });
  // @ts-expect-error the old top-level authFlow is gone from the types
  await auth.signIn({ username: "alice", password: "p", authFlow: "USER_SRP_AUTH" });
  // @ts-expect-error confirmSignIn takes an object with challengeResponse
  await auth.confirmSignIn("123456");
  // @ts-expect-error tokens exist only once isSignedIn is narrowed to true
  void result.tokens.idToken;
  // @ts-expect-error codeDeliveryDetails exists only on the code steps
  void result.nextStep.codeDeliveryDetails;
  if (result.nextStep.signInStep === "CONFIRM_SIGN_IN_WITH_TOTP_CODE") {
    // @ts-expect-error the TOTP code step carries no setup details
    void result.nextStep.totpSetupDetails;
  }
  if (result.nextStep.signInStep === "CONTINUE_SIGN_IN_WITH_TOTP_SETUP") {
    // @ts-expect-error getSetupUri returns a URL, not a string
    const s: string = result.nextStep.totpSetupDetails.getSetupUri("App");
    void s;
    // With the DOM lib it is the DOM's URL, searchParams and all (URLLike has none).
    const secret: string | null = result.nextStep.totpSetupDetails.getSetupUri("App").searchParams.get("secret");
    void secret;
  }
  // @ts-expect-error wasmUrl is a string or a URL
  await loadCognitoWasm({ wasmUrl: 42 });
  // @ts-expect-error wasmExecUrl is gone: wasm_exec.js is imported next to the shim
  await loadCognitoWasm({ wasmExecUrl: "/wasm_exec.js" });
  if (!result.isSignedIn) {
    // @ts-expect-error a sign-in that is not done never has the DONE step
    const d: "DONE" = result.nextStep.signInStep;
    void d;
  }
  // @ts-expect-error adminInitiate without credentials does not type-check
  await adminInitiate({ userPoolId: "us-east-1_x", clientId: "c" }, { AuthFlow: "ADMIN_USER_PASSWORD_AUTH" });
}

// The session half: storage choices, fetchAuthSession, getCurrentUser, signOut, events.
export async function sessionExample(): Promise<string | undefined> {
  const auth = await createAuth({ userPoolId: "us-east-1_AbC123xyz", clientId: "client", storage: "localStorage" });
  await createAuth({ userPoolId: "us-east-1_AbC123xyz", clientId: "client", storage: { getItem: async (k: string) => k, setItem: () => {}, removeItem: async () => {} } });
  // @ts-expect-error: storage names are the three known ones
  await createAuth({ userPoolId: "us-east-1_AbC123xyz", clientId: "client", storage: "cookies" });
  auth.events.addEventListener("tokenRefresh_failure", (e) => {
    const detail = (e as CustomEvent<import("../cognito-wasm.js").AuthEventDetail | null>).detail;
    console.log(detail?.error?.name);
  });
  const { tokens, userSub } = await auth.fetchAuthSession({ forceRefresh: true });
  const groups = tokens?.accessToken.payload["cognito:groups"];
  const bearer: string | undefined = tokens?.accessToken.toString();
  const user = await auth.getCurrentUser();
  const id: string = user.userId;
  await auth.signOut({ global: true });
  // @ts-expect-error: global is a boolean
  await auth.signOut({ global: "yes" });
  return bearer ?? userSub ?? id ?? String(groups) ?? user.signInDetails?.loginId;
}

export async function accountUsage(): Promise<string> {
  const auth = await createAuth({ userPoolId: "us-east-1_x", clientId: "c" });
  const up = await auth.signUp({ username: "a", password: "p", options: { userAttributes: { email: "a@example.com" }, autoSignIn: true } });
  let where = "";
  if (up.nextStep.signUpStep === "CONFIRM_SIGN_UP") where = up.nextStep.codeDeliveryDetails.destination ?? "";
  const confirmed = await auth.confirmSignUp({ username: "a", confirmationCode: "123456" });
  if (confirmed.nextStep.signUpStep === "COMPLETE_AUTO_SIGN_IN") {
    const signedIn: SignInOutput = await auth.autoSignIn();
    void signedIn;
  }
  await auth.autoSignIn();
  const reset = await auth.resetPassword({ username: "a" });
  const step: "CONFIRM_RESET_PASSWORD_WITH_CODE" | "DONE" = reset.nextStep.resetPasswordStep;
  await auth.confirmResetPassword({ username: "a", confirmationCode: "1", newPassword: "n" });
  await auth.updatePassword({ oldPassword: "o", newPassword: "n" });
  const attrs: Record<string, string> = await auth.fetchUserAttributes();
  const upd = await auth.updateUserAttributes({ userAttributes: { email: "b@example.com" } });
  const email = upd.email;
  if (email && email.nextStep.updateAttributeStep === "CONFIRM_ATTRIBUTE_WITH_CODE") where += email.nextStep.codeDeliveryDetails.attributeName;
  await auth.confirmUserAttribute({ userAttributeKey: "email", confirmationCode: "1" });
  const sent = await auth.sendUserAttributeVerificationCode({ userAttributeKey: "email" });
  await auth.deleteUserAttributes({ userAttributeKeys: ["custom:team"] });
  const totp = await auth.setUpTOTP();
  const uri: URL = totp.getSetupUri("App", "a@example.com");
  await auth.verifyTOTPSetup({ code: "123456", options: { friendlyDeviceName: "phone" } });
  await auth.updateMFAPreference({ totp: "PREFERRED", sms: "DISABLED" });
  const pref = await auth.fetchMFAPreference();
  const preferred: "SMS" | "TOTP" | "EMAIL" | undefined = pref.preferred;
  await auth.deleteUser();
  // @ts-expect-error MFA preferences are Amplify's four values
  await auth.updateMFAPreference({ totp: "ON" });
  // @ts-expect-error deleteUserAttributes takes a list of names
  await auth.deleteUserAttributes({ userAttributeKeys: "email" });
  // @ts-expect-error codeDeliveryDetails exists only on CONFIRM_SIGN_UP
  void confirmed.nextStep.codeDeliveryDetails;
  return where + step + attrs.email + String(sent.deliveryMedium) + uri.href + String(preferred);
}

// Remembered devices: Amplify's names and shapes.
export async function devicesExample(): Promise<string | undefined> {
  const auth = await createAuth({ userPoolId: "us-east-1_AbC123xyz", clientId: "client", storage: "localStorage" });
  await auth.rememberDevice();
  const devices = await auth.fetchDevices();
  const first = devices[0];
  const when: Date | undefined = first?.lastAuthenticatedDate;
  await auth.forgetDevice({ device: { id: first.id } });
  await auth.forgetDevice();
  // @ts-expect-error: a device is named by its id
  await auth.forgetDevice({ device: "key" });
  return first.name ?? first.attributes["device_name"] ?? when?.toISOString();
}

export async function passkeys(auth: import("../cognito-wasm.js").Auth) {
  await auth.associateWebAuthnCredential();
  const { credentials, nextToken } = await auth.listWebAuthnCredentials({ pageSize: 5 });
  const created: Date | undefined = credentials[0]?.createdAt;
  await auth.deleteWebAuthnCredential({ credentialId: credentials[0]?.credentialId ?? "" });
  // @ts-expect-error: credentialId is required
  await auth.deleteWebAuthnCredential({});
  // @ts-expect-error: pageSize is a number
  await auth.listWebAuthnCredentials({ pageSize: "5" });
  return String(created) + nextToken;
}
