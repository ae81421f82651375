// Type-checked by `make js-test` with tsconfig.nodom.json: lib ["es2022"] and
// no @types at all, as in a Node or worker project without the DOM lib or
// @types/node. cognito-wasm.d.ts must compile there, and its URLs fall back to
// URLLike.
import { createAuth, loadCognitoWasm, type URLLike } from "../cognito-wasm.js";

export async function withoutDom(): Promise<string> {
  const ns = await loadCognitoWasm({ wasmUrl: "/assets/cognito-wasm.0123abcd.wasm" });
  await loadCognitoWasm({ wasmUrl: { href: "https://example.test/cognito-wasm.wasm", protocol: "https:", host: "example.test", pathname: "/cognito-wasm.wasm", search: "" } });
  const auth = await createAuth({ userPoolId: "us-east-1_AbC123xyz", clientId: "client" });
  const result = await auth.signIn({ username: "alice", password: "p" });
  if (result.nextStep.signInStep === "CONTINUE_SIGN_IN_WITH_TOTP_SETUP") {
    const uri: URLLike = result.nextStep.totpSetupDetails.getSetupUri("MyApp");
    // @ts-expect-error without a URL class, the URL is URLLike: no searchParams
    void uri.searchParams;
    return uri.href;
  }
  // @ts-expect-error without the DOM lib there is no global URL to pass
  await loadCognitoWasm({ wasmUrl: new URL("https://example.test/x.wasm") });
  return ns.version;
}

// Without EventTarget declared, Auth.events falls back to EventTargetLike.
export async function eventsWithoutDom(): Promise<string> {
  const auth = await createAuth({ userPoolId: "us-east-1_AbC123xyz", clientId: "client" });
  let who = "";
  auth.events.addEventListener("signedIn", (e) => {
    who = e.detail?.username ?? "";
  });
  return who;
}
