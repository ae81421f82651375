// Type-checked by `make js-test` (tsc --noEmit): the README's usage compiles
// against cognito-wasm.d.ts, and each @ts-expect-error line must stay an error.
import { createAuth, initiate, loadCognitoWasm, respond, type Step } from "../cognito-wasm.js";

export async function readmeExample(): Promise<string> {
  const ns = await loadCognitoWasm({ wasmUrl: new URL("https://example.test/cognito-wasm.wasm") });
  const version: string = ns.version;
  const auth = await createAuth({ userPoolId: "us-east-1_AbC123xyz", clientId: "client", endpoint: "http://127.0.0.1:9229" });
  let step: Step = await auth.signIn({ username: "alice", password: "..." });
  while (step.type === "challenge") {
    const name: string = step.challengeName;
    step = await auth.respond(step, { SOFTWARE_TOKEN_MFA_CODE: name.length ? "123456" : "" });
  }
  const idToken: string = step.tokens.idToken;
  const refreshed = await auth.refresh({ refreshToken: step.tokens.refreshToken ?? "" });
  const raw = await initiate(
    { userPoolId: "us-east-1_x", clientId: "c" },
    { AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: "a", PASSWORD: "p" } },
  );
  const next = await respond(
    { userPoolId: "us-east-1_x", clientId: "c" },
    { ChallengeName: "SMS_MFA", ChallengeResponses: { USERNAME: "a", SMS_MFA_CODE: "1" }, Session: raw.Session },
  );
  return idToken + version + refreshed.type + String(next.AuthenticationResult?.IdToken);
}

export async function misuses(step: Step): Promise<void> {
  // @ts-expect-error userPoolId is required
  await createAuth({ clientId: "client" });
  const auth = await createAuth({ userPoolId: "us-east-1_x", clientId: "c" });
  // @ts-expect-error the password must be a string
  await auth.signIn({ username: "alice", password: 42 });
  // @ts-expect-error tokens exist only once the step is narrowed to "tokens"
  void step.tokens.idToken;
}
