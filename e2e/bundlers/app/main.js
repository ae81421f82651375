// The tiny app each bundler builds: it depends on the cognito-wasm package
// by name, as an app would, and signs in once when bundlers_test.go asks.
import { createAuth, loadCognitoWasm } from "cognito-wasm";

const violations = [];
document.addEventListener("securitypolicyviolation", (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));

/** Signs in by SRP and says how it went; wasmUrl, when given, goes to loadCognitoWasm first. */
globalThis.signInFromBundle = async ({ endpoint, userPoolId, clientId, username, password, wasmUrl }) => {
  try {
    if (wasmUrl !== undefined) await loadCognitoWasm({ wasmUrl });
    const auth = await createAuth({ userPoolId, clientId, endpoint });
    const result = await auth.signIn({ username, password, options: { authFlowType: "USER_SRP_AUTH" } });
    return { isSignedIn: result.isSignedIn, step: result.nextStep.signInStep, accessToken: result.tokens?.accessToken ?? "", violations };
  } catch (e) {
    return { error: `${e && e.name}: ${e && e.message}`, violations };
  }
};
