// Types for cognito-wasm.js. Names follow Amplify JS v6 (aws-amplify/auth)
// where Amplify has one, so moving an app over changes little.

/**
 * The WHATWG URL class where the program has one (the DOM lib, @types/node),
 * else the part of it these types use: they check without either.
 */
export type URLType = typeof globalThis extends { URL: { prototype: infer U } } ? U : URLLike;

/** What these types need of a URL where no URL class is declared. */
export interface URLLike {
  readonly href: string;
  readonly protocol: string;
  readonly host: string;
  readonly pathname: string;
  readonly search: string;
  toString(): string;
}

/** The WHATWG EventTarget where the program declares one (DOM lib, @types/node), else the part of it apps use. */
export type EventTargetType = typeof globalThis extends { EventTarget: { prototype: infer E } } ? E : EventTargetLike;

/** What Auth.events offers where no EventTarget class is declared. */
export interface EventTargetLike {
  addEventListener(type: AuthEventType | string, listener: ((event: { type: string; detail?: AuthEventDetail | null }) => void) | null, options?: unknown): void;
  removeEventListener(type: AuthEventType | string, listener: ((event: { type: string; detail?: AuthEventDetail | null }) => void) | null, options?: unknown): void;
  dispatchEvent(event: unknown): boolean;
}

/** loadCognitoWasm's options. Only the first call's count; any other key is rejected. */
export interface LoadOptions {
  /**
   * Where cognito-wasm.wasm is: a string or a URL; a relative string
   * resolves against the page, as fetch() does. Default: next to
   * cognito-wasm.js (`new URL("./cognito-wasm.wasm", import.meta.url)`, which
   * Vite and webpack rewrite to the file they emit); in a script without
   * import.meta (an esbuild IIFE bundle), next to the <script src> that ran it.
   * Give it for renamed or hashed files, or an IIFE bundle run any other way.
   */
  wasmUrl?: string | URLType;
}

/**
 * IAM credentials for adminInitiate / adminRespond, which are signed with
 * SigV4. For Node and other trusted contexts only: never ship IAM keys to a
 * browser.
 */
export interface AdminCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
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
  /** Only for the Admin calls, in trusted contexts (see AdminCredentials). */
  credentials?: AdminCredentials;
  /**
   * Where the signed-in user's tokens are kept, under the keys
   * amazon-cognito-identity-js and Amplify use
   * (CognitoIdentityServiceProvider.<clientId>.LastAuthUser and
   * .<username>.idToken / accessToken / refreshToken / clockDrift /
   * signInDetails), so a session either library stored is picked up.
   * Default 'memory' (gone with the page).
   */
  storage?: "memory" | "localStorage" | "sessionStorage" | KeyValueStorage;
}

/** An app's own storage, as Amplify's KeyValueStorageInterface: each method may return a Promise. */
export interface KeyValueStorage {
  getItem(key: string): string | null | undefined | Promise<string | null | undefined>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/** A token as Amplify hands it out: the decoded (not verified) payload; toString() is the token. */
export interface JWT {
  payload: { [claim: string]: unknown; sub?: string; exp?: number; iat?: number };
  toString(): string;
}

/** fetchAuthSession's result: empty when no one is signed in. */
export interface AuthSession {
  tokens?: { accessToken: JWT; idToken?: JWT };
  /** The access token's sub. */
  userSub?: string;
}

/** How the current user signed in. */
export interface SignInDetails {
  loginId?: string;
  authFlowType?: AuthFlowType;
}

/** getCurrentUser's result. */
export interface AuthUser {
  /** The real username (the id token's cognito:username), never an alias. */
  username: string;
  /** The user's sub. */
  userId: string;
  signInDetails?: SignInDetails;
}

/** The events on Auth.events, each a CustomEvent of this type. */
export type AuthEventType = "signedIn" | "signedOut" | "tokenRefresh" | "tokenRefresh_failure";

/**
 * An event's detail: signedIn carries username and userId; signedOut the
 * same when someone was signed in, plus error when RevokeToken or
 * GlobalSignOut failed (the session is cleared anyway); tokenRefresh_failure
 * carries error; tokenRefresh has none (null).
 */
export interface AuthEventDetail {
  username?: string;
  userId?: string;
  error?: Error;
}

/** Amplify's authFlowType values. */
export type AuthFlowType = "USER_SRP_AUTH" | "USER_PASSWORD_AUTH" | "CUSTOM_WITH_SRP" | "CUSTOM_WITHOUT_SRP" | "USER_AUTH";
/** USER_AUTH's first factors. */
export type AuthFactorType = "PASSWORD" | "PASSWORD_SRP" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN";
/** Amplify's MFA type names. */
export type MFAType = "SMS" | "TOTP" | "EMAIL";

export interface SignInInput {
  username: string;
  /** Required for USER_SRP_AUTH, USER_PASSWORD_AUTH, CUSTOM_WITH_SRP and USER_AUTH's PASSWORD / PASSWORD_SRP. */
  password?: string;
  options?: {
    /** Default "USER_SRP_AUTH". */
    authFlowType?: AuthFlowType;
    /** USER_AUTH only. */
    preferredChallenge?: AuthFactorType;
    clientMetadata?: Record<string, string>;
  };
}

export interface ConfirmSignInInput {
  /**
   * The code; the new password; "SMS" | "TOTP" | "EMAIL" to choose an MFA
   * type; the email address to set up; the first factor chosen; the
   * password; or the custom challenge's answer: whatever nextStep asked for.
   */
  challengeResponse: string;
  options?: {
    /** NEW_PASSWORD_REQUIRED's missing attributes, by name (no "userAttributes." prefix). */
    userAttributes?: Record<string, string>;
    clientMetadata?: Record<string, string>;
    /** Names the authenticator app during TOTP setup. */
    friendlyDeviceName?: string;
  };
}

export interface CodeDeliveryDetails {
  deliveryMedium?: "SMS" | "EMAIL" | string;
  /** Masked, e.g. "+*******0100" or "a***@e***". */
  destination?: string;
  attributeName?: string;
}

export interface TOTPSetupDetails {
  /** The base32 secret, for typing into an authenticator app. */
  sharedSecret: string;
  /** The default account name (the username). */
  accountName: string;
  /** otpauth:// URI with the user pool ID as issuer. */
  setupUri: string;
  /** otpauth:// URI for a QR code, with your app's name as issuer; accountName defaults to the username. */
  getSetupUri(appName: string, accountName?: string): URLType;
}

/** What the person must do next, narrowed by signInStep. */
export type SignInNextStep =
  | { signInStep: "DONE" }
  | { signInStep: "CONFIRM_SIGN_IN_WITH_SMS_CODE"; codeDeliveryDetails?: CodeDeliveryDetails }
  | { signInStep: "CONFIRM_SIGN_IN_WITH_EMAIL_CODE"; codeDeliveryDetails?: CodeDeliveryDetails }
  | { signInStep: "CONFIRM_SIGN_IN_WITH_TOTP_CODE" }
  | { signInStep: "CONTINUE_SIGN_IN_WITH_MFA_SELECTION"; allowedMFATypes?: MFAType[] }
  | { signInStep: "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION"; allowedMFATypes: MFAType[] }
  | { signInStep: "CONTINUE_SIGN_IN_WITH_TOTP_SETUP"; totpSetupDetails: TOTPSetupDetails }
  | { signInStep: "CONTINUE_SIGN_IN_WITH_EMAIL_SETUP" }
  | { signInStep: "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION"; availableChallenges?: AuthFactorType[] }
  | { signInStep: "CONFIRM_SIGN_IN_WITH_PASSWORD" }
  | { signInStep: "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED"; missingAttributes?: string[] }
  | { signInStep: "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE"; additionalInfo?: Record<string, string> }
  | { signInStep: "CONFIRM_SIGN_UP" }
  | { signInStep: "RESET_PASSWORD" };

/** The signed-in user's tokens. */
export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** Seconds until the access and id tokens expire. */
  expiresIn: number;
  tokenType: string;
  newDeviceMetadata?: { deviceKey: string; deviceGroupKey: string };
}

/** signIn's and confirmSignIn's result: tokens once signed in, else the next step. */
export type SignInOutput =
  | { isSignedIn: true; nextStep: { signInStep: "DONE" }; tokens: Tokens }
  | { isSignedIn: false; nextStep: Exclude<SignInNextStep, { signInStep: "DONE" }>; tokens?: undefined };

/** One of the user's passkeys, as Amplify's listWebAuthnCredentials reports it. */
export interface AuthWebAuthnCredential {
  credentialId?: string;
  friendlyCredentialName?: string;
  relyingPartyId?: string;
  authenticatorAttachment?: string;
  authenticatorTransports?: string[];
  createdAt?: Date;
}

export interface ListWebAuthnCredentialsOutput {
  credentials: AuthWebAuthnCredential[];
  nextToken?: string;
}

/**
 * Cognito's CredentialCreationOptions (JSON text or parsed) as
 * navigator.credentials.create's publicKey: challenge, user.id and
 * excludeCredentials[].id become ArrayBuffers. For raw calls; signIn and
 * associateWebAuthnCredential use it themselves.
 */
export declare function passkeyCreationOptions(json: string | object): any;
/** CREDENTIAL_REQUEST_OPTIONS as navigator.credentials.get's publicKey (challenge, allowCredentials[].id). */
export declare function passkeyRequestOptions(json: string | object): any;
/** A PublicKeyCredential from create or get as the base64url JSON Cognito takes (CREDENTIAL, CompleteWebAuthnRegistration's Credential). */
export declare function passkeyCredentialJSON(credential: any): Record<string, unknown>;

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
  AuthFlow: "USER_SRP_AUTH" | "USER_PASSWORD_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "CUSTOM_AUTH" | "USER_AUTH" | "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" | string;
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

/** Amplify's sign-up steps. */
export type SignUpOutput = {
  isSignUpComplete: boolean;
  /** The new user's sub. */
  userId?: string;
  nextStep:
    | { signUpStep: "CONFIRM_SIGN_UP"; codeDeliveryDetails: CodeDeliveryDetails }
    | { signUpStep: "DONE" }
    /** Call autoSignIn() to sign the new user in. */
    | { signUpStep: "COMPLETE_AUTO_SIGN_IN" };
};

/** The sign-in options auto sign-in uses (Amplify's SignInInput options). */
export type AutoSignInOptions = NonNullable<SignInInput["options"]>;

export interface SignUpInput {
  username: string;
  /** Optional only where the pool allows passwordless sign-up. */
  password?: string;
  options?: {
    userAttributes?: Record<string, string>;
    validationData?: Record<string, string>;
    clientMetadata?: Record<string, string>;
    /**
     * Sign in once confirmed: confirmSignUp then answers COMPLETE_AUTO_SIGN_IN
     * and autoSignIn() signs in, within 3 minutes. With a client that allows
     * USER_AUTH it uses the Session Cognito returns; otherwise the password
     * is kept, inside the module only, until then.
     */
    autoSignIn?: boolean | AutoSignInOptions;
  };
}

export interface ConfirmSignUpInput {
  username: string;
  confirmationCode: string;
  options?: { clientMetadata?: Record<string, string>; forceAliasCreation?: boolean };
}

export interface ResendSignUpCodeInput {
  username: string;
  options?: { clientMetadata?: Record<string, string> };
}

export interface ResetPasswordInput {
  username: string;
  options?: { clientMetadata?: Record<string, string> };
}

export interface ResetPasswordOutput {
  isPasswordReset: boolean;
  nextStep: { resetPasswordStep: "CONFIRM_RESET_PASSWORD_WITH_CODE" | "DONE"; codeDeliveryDetails?: CodeDeliveryDetails };
}

export interface ConfirmResetPasswordInput {
  username: string;
  confirmationCode: string;
  newPassword: string;
  options?: { clientMetadata?: Record<string, string> };
}

export interface UpdatePasswordInput {
  oldPassword: string;
  newPassword: string;
}

/** Standard and custom attributes by name, e.g. {email, email_verified, sub, "custom:team"}. */
export type UserAttributes = Record<string, string>;

export interface UpdateUserAttributesInput {
  userAttributes: Record<string, string>;
  options?: { clientMetadata?: Record<string, string> };
}

export interface UpdateUserAttributeInput {
  userAttribute: { attributeKey: string; value: string };
  options?: { clientMetadata?: Record<string, string> };
}

export interface UpdateUserAttributeOutput {
  isUpdated: boolean;
  nextStep:
    | { updateAttributeStep: "DONE" }
    | { updateAttributeStep: "CONFIRM_ATTRIBUTE_WITH_CODE"; codeDeliveryDetails: CodeDeliveryDetails };
}

/** One entry per attribute given: updated, or waiting for the code sent to it. */
export type UpdateUserAttributesOutput = Record<string, UpdateUserAttributeOutput>;

export interface ConfirmUserAttributeInput {
  userAttributeKey: string;
  confirmationCode: string;
}

export interface SendUserAttributeVerificationCodeInput {
  userAttributeKey: string;
  options?: { clientMetadata?: Record<string, string> };
}

export interface DeleteUserAttributesInput {
  userAttributeKeys: string[];
}

/** setUpTOTP's result (Amplify's SetUpTOTPOutput). */
export interface SetUpTOTPOutput {
  /** The base32 secret, for typing into an authenticator app. */
  sharedSecret: string;
  /** otpauth:// URI for a QR code, your app's name as issuer; accountName defaults to the username. */
  getSetupUri(appName: string, accountName?: string): URLType;
}

export interface VerifyTOTPSetupInput {
  code: string;
  options?: { friendlyDeviceName?: string };
}

export type MFAPreferenceValue = "ENABLED" | "DISABLED" | "PREFERRED" | "NOT_PREFERRED";

/** A type left out is left as it is. */
export interface UpdateMFAPreferenceInput {
  sms?: MFAPreferenceValue;
  totp?: MFAPreferenceValue;
  email?: MFAPreferenceValue;
}

export interface FetchMFAPreferenceOutput {
  enabled?: MFAType[];
  preferred?: MFAType;
}

/** forgetDevice's input, as Amplify's ForgetDeviceInput. */
export interface ForgetDeviceInput {
  device?: { id: string };
}

/** A device as Amplify's fetchDevices lists it. */
export interface AWSAuthDevice {
  /** The device key. */
  id: string;
  /** The device_name attribute (the browser's user agent when cognito-wasm confirmed it). */
  name?: string;
  attributes: Record<string, string>;
  createDate?: Date;
  lastAuthenticatedDate?: Date;
  lastModifiedDate?: Date;
}

export interface Auth {
  /** Starts a sign-in; a new signIn replaces one in progress. */
  signIn(input: SignInInput): Promise<SignInOutput>;
  /** Answers the step signIn (or the last confirmSignIn) asked for. After a rejection (a wrong code) it may be called again. */
  confirmSignIn(input: ConfirmSignInInput): Promise<SignInOutput>;
  /**
   * The signed-in user's tokens, refreshed first when they expire within a
   * minute (by the server's clock, from the tokens' iat) or when
   * forceRefresh is set; callers asking meanwhile share one refresh. A
   * refresh refused because the session is over clears it: the result is
   * then {} and tokenRefresh_failure fires.
   */
  fetchAuthSession(options?: { forceRefresh?: boolean }): Promise<AuthSession>;
  /** The signed-in user; rejects with UserUnAuthenticatedException when there is none. */
  getCurrentUser(): Promise<AuthUser>;
  /**
   * Revokes the refresh token (global: GlobalSignOut, every device), then
   * clears the stored session even when that call failed (the failure is
   * the signedOut event's detail.error). Rejects only when storage cannot
   * be cleared.
   */
  signOut(options?: { global?: boolean }): Promise<void>;
  /**
   * Marks the device this browser keeps for the signed-in user (confirmed at
   * sign-in in a pool that tracks devices) as remembered, so that it spares
   * MFA. Rejects with DeviceMetadataNotFoundException when none is kept.
   */
  rememberDevice(): Promise<void>;
  /**
   * Forgets input.device (by id), or the device this browser keeps, which is
   * then dropped from storage too (the next sign-in asks for MFA again).
   */
  forgetDevice(input?: ForgetDeviceInput): Promise<void>;
  /** The signed-in user's remembered devices (ListDevices, at most 60). */
  fetchDevices(): Promise<AWSAuthDevice[]>;
  /** signedIn, signedOut, tokenRefresh and tokenRefresh_failure, as CustomEvents (detail: AuthEventDetail). */
  readonly events: EventTargetType;
  /** Registers a user; a code goes to the pool's auto-verified attribute unless the user is confirmed at once. */
  signUp(input: SignUpInput): Promise<SignUpOutput>;
  /** Confirms a sign-up with the code sent. */
  confirmSignUp(input: ConfirmSignUpInput): Promise<SignUpOutput>;
  /** Sends the sign-up code again. */
  resendSignUpCode(input: ResendSignUpCodeInput): Promise<CodeDeliveryDetails>;
  /** After COMPLETE_AUTO_SIGN_IN: signs the new user in (rejects with AutoSignInException when nothing waits). */
  autoSignIn(): Promise<SignInOutput>;
  /** Sends a code to reset the password with (Cognito's ForgotPassword). */
  resetPassword(input: ResetPasswordInput): Promise<ResetPasswordOutput>;
  /** Sets the new password with resetPassword's code. */
  confirmResetPassword(input: ConfirmResetPasswordInput): Promise<void>;
  /** Changes the signed-in user's password. */
  updatePassword(input: UpdatePasswordInput): Promise<void>;
  /** The signed-in user's attributes. */
  fetchUserAttributes(): Promise<UserAttributes>;
  /** Changes attributes; a changed email or phone number may wait for a code (confirmUserAttribute). */
  updateUserAttributes(input: UpdateUserAttributesInput): Promise<UpdateUserAttributesOutput>;
  /** updateUserAttributes for one attribute. */
  updateUserAttribute(input: UpdateUserAttributeInput): Promise<UpdateUserAttributeOutput>;
  /** Verifies an attribute with the code sent to it. */
  confirmUserAttribute(input: ConfirmUserAttributeInput): Promise<void>;
  /** Sends a code to verify an attribute with. */
  sendUserAttributeVerificationCode(input: SendUserAttributeVerificationCodeInput): Promise<CodeDeliveryDetails>;
  /** Removes attributes. */
  deleteUserAttributes(input: DeleteUserAttributesInput): Promise<void>;
  /** Starts TOTP setup for the signed-in user. */
  setUpTOTP(): Promise<SetUpTOTPOutput>;
  /** Proves the authenticator app holds the secret; then updateMFAPreference({totp: "PREFERRED"}). */
  verifyTOTPSetup(input: VerifyTOTPSetupInput): Promise<void>;
  /** Enables, disables or prefers MFA types. */
  updateMFAPreference(input: UpdateMFAPreferenceInput): Promise<void>;
  /** The MFA types enabled and the one preferred. */
  fetchMFAPreference(): Promise<FetchMFAPreferenceOutput>;
  /** Deletes the signed-in user, then signs out here. */
  deleteUser(): Promise<void>;
  /**
   * Registers a passkey for the signed-in user: StartWebAuthnRegistration,
   * navigator.credentials.create, CompleteWebAuthnRegistration. Rejects with
   * PasskeyNotSupported (no WebAuthn, or not a secure context),
   * PasskeyRegistrationCanceled, PasskeyAlreadyExists, RelyingPartyMismatch,
   * PasskeyOperationAborted or PasskeyRegistrationFailed (the browser's
   * DOMException as underlyingError), or Cognito's exception.
   */
  associateWebAuthnCredential(): Promise<void>;
  /** The signed-in user's passkeys, pageSize (1-20) at a time. */
  listWebAuthnCredentials(input?: { pageSize?: number; nextToken?: string }): Promise<ListWebAuthnCredentialsOutput>;
  deleteWebAuthnCredential(input: { credentialId: string }): Promise<void>;
  /** Raw InitiateAuth (USER_SRP_AUTH runs both SRP legs inside the module). */
  initiate(request: InitiateRequest): Promise<CognitoResult>;
  /** Raw RespondToAuthChallenge. */
  respondToAuthChallenge(request: RespondRequest): Promise<CognitoResult>;
  /** Raw AdminInitiateAuth, signed with config.credentials (trusted contexts only). */
  adminInitiate(request: InitiateRequest): Promise<CognitoResult>;
  /** Raw AdminRespondToAuthChallenge, signed with config.credentials (trusted contexts only). */
  adminRespond(request: RespondRequest): Promise<CognitoResult>;
}

/** The namespace the Go module registers as globalThis.cognitoWasm. */
export interface CognitoWasmNamespace {
  readonly version: string;
  initiate(config: AuthConfig, request: InitiateRequest): Promise<CognitoResult>;
  respond(config: AuthConfig, request: RespondRequest): Promise<CognitoResult>;
  adminInitiate(config: AuthConfig, request: InitiateRequest): Promise<CognitoResult>;
  adminRespond(config: AuthConfig, request: RespondRequest): Promise<CognitoResult>;
  /**
   * The module-side client behind createAuth. Its config.storage is an
   * object or absent (memory); emit(type, username, userId, error) hears the
   * session's events.
   */
  createClient(config: AuthConfig, emit?: (type: AuthEventType, username: string, userId: string, error?: Error) => void): Promise<unknown>;
  /** otpauth:// URI for a TOTP secret; returns (does not throw) an Error for bad arguments. */
  totpSetupUri(sharedSecret: string, appName: string, accountName: string): string | Error;
}

/**
 * A rejected Promise carries an Error whose name is Cognito's exception name
 * (e.g. "NotAuthorizedException", "CodeMismatchException"), or
 * "InvalidParameterException" naming the bad field, "NetworkError" when the
 * endpoint cannot be reached, "InternalErrorException" for a contained fault.
 */
export interface CognitoError extends Error {
  name: string;
}

export function loadCognitoWasm(options?: LoadOptions): Promise<CognitoWasmNamespace>;
export function createAuth(config: AuthConfig): Promise<Auth>;
export function initiate(config: AuthConfig, request: InitiateRequest): Promise<CognitoResult>;
export function respond(config: AuthConfig, request: RespondRequest): Promise<CognitoResult>;
export function adminInitiate(config: AuthConfig & { credentials: AdminCredentials }, request: InitiateRequest): Promise<CognitoResult>;
export function adminRespond(config: AuthConfig & { credentials: AdminCredentials }, request: RespondRequest): Promise<CognitoResult>;

declare global {
  // eslint-disable-next-line no-var
  var cognitoWasm: CognitoWasmNamespace | undefined;
}
