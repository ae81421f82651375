// Types for cognito-wasm.js.

/** Where to find the module's files; both default to the shim's own directory. */
export interface LoadOptions {
  /** URL of cognito-wasm.wasm (default: next to cognito-wasm.js). */
  wasmUrl?: string | URL;
  /** URL of Go's wasm_exec.js (default: next to cognito-wasm.js). */
  wasmExecUrl?: string | URL;
}

/** Which user pool and app client to talk to. */
export interface AuthConfig {
  /** e.g. "us-east-1_AbC123"; the region defaults to its prefix. */
  userPoolId: string;
  /** The app client ID. */
  clientId: string;
  /** Only for app clients that have a secret (avoid them in browsers). */
  clientSecret?: string;
  /** Defaults to the user pool ID's prefix. */
  region?: string;
  /** A custom endpoint such as a local emulator, e.g. "http://127.0.0.1:9229". */
  endpoint?: string;
}

/** Cognito's AuthenticationResult. */
export interface AuthenticationResult {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: string;
  NewDeviceMetadata?: { DeviceKey: string; DeviceGroupKey: string };
}

/** InitiateAuth's request. For USER_SRP_AUTH, AuthParameters carries USERNAME and PASSWORD; the password is used inside the module and never sent. */
export interface InitiateRequest {
  AuthFlow: "USER_SRP_AUTH" | "USER_PASSWORD_AUTH" | "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" | string;
  AuthParameters?: Record<string, string>;
  ClientMetadata?: Record<string, string>;
}

/** RespondToAuthChallenge's request. ChallengeResponses must carry USERNAME; SECRET_HASH is added when the config has a secret. */
export interface RespondRequest {
  ChallengeName: string;
  ChallengeResponses?: Record<string, string>;
  Session?: string;
  ClientMetadata?: Record<string, string>;
}

/** What InitiateAuth / RespondToAuthChallenge return, as Cognito shapes it. */
export interface CognitoResult {
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
  AvailableChallenges?: string[];
  AuthenticationResult?: AuthenticationResult;
}

/** The signed-in user's tokens. */
export interface Tokens {
  idToken: string;
  accessToken: string;
  /** Cognito sends none on refresh; refresh() then keeps the one it used. */
  refreshToken?: string;
  /** Seconds until the access and id tokens expire. */
  expiresIn: number;
  tokenType: string;
  newDeviceMetadata?: { DeviceKey: string; DeviceGroupKey: string };
}

export interface TokensStep {
  type: "tokens";
  tokens: Tokens;
  raw: CognitoResult;
}

export interface ChallengeStep {
  type: "challenge";
  /** e.g. "NEW_PASSWORD_REQUIRED", "SMS_MFA", "SOFTWARE_TOKEN_MFA". */
  challengeName: string;
  parameters: Record<string, string>;
  session?: string;
  /** The USERNAME that respond() sends with the answers. */
  username?: string;
  raw: CognitoResult;
}

/** Where a sign-in stands: tokens, or a challenge to answer with respond(). */
export type Step = TokensStep | ChallengeStep;

export interface SignInOptions {
  username: string;
  password: string;
  /** Default "USER_SRP_AUTH". */
  authFlow?: "USER_SRP_AUTH" | "USER_PASSWORD_AUTH" | string;
  clientMetadata?: Record<string, string>;
}

export interface RefreshOptions {
  refreshToken: string;
  /** The real username (not an alias); needed only to compute SECRET_HASH. */
  username?: string;
  clientMetadata?: Record<string, string>;
}

export interface Auth {
  signIn(options: SignInOptions): Promise<Step>;
  /** Answers a challenge, e.g. respond(step, { NEW_PASSWORD: "..." }); USERNAME is filled in from the step. */
  respond(step: ChallengeStep, answers: Record<string, string>, clientMetadata?: Record<string, string>): Promise<Step>;
  refresh(options: RefreshOptions): Promise<Step>;
  initiate(request: InitiateRequest): Promise<CognitoResult>;
  respondToAuthChallenge(request: RespondRequest): Promise<CognitoResult>;
}

/** The namespace the Go module registers as globalThis.cognitoWasm. */
export interface CognitoWasmNamespace {
  readonly version: string;
  initiate(config: AuthConfig, request: InitiateRequest): Promise<CognitoResult>;
  respond(config: AuthConfig, request: RespondRequest): Promise<CognitoResult>;
}

/**
 * A rejected Promise carries an Error whose name is Cognito's exception name
 * (e.g. "NotAuthorizedException", "UserNotFoundException"), or
 * "InvalidParameterException" for bad arguments, "NetworkError" when the
 * endpoint cannot be reached, "InternalErrorException" for a contained fault.
 */
export interface CognitoError extends Error {
  name: string;
}

export function loadCognitoWasm(options?: LoadOptions): Promise<CognitoWasmNamespace>;
export function createAuth(config: AuthConfig): Promise<Auth>;
export function initiate(config: AuthConfig, request: InitiateRequest): Promise<CognitoResult>;
export function respond(config: AuthConfig, request: RespondRequest): Promise<CognitoResult>;

declare global {
  // eslint-disable-next-line no-var
  var cognitoWasm: CognitoWasmNamespace | undefined;
}
