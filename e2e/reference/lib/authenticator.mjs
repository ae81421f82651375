// A software passkey authenticator for the reference tests: an ES256 key
// from node:crypto, "none" attestation, authenticator data, client data and
// CBOR written by hand. It answers Cognito's CredentialCreationOptions and
// CREDENTIAL_REQUEST_OPTIONS with what a browser's PublicKeyCredential
// toJSON() gives, so the emulator's verification is tested against bytes
// made without the Go library it uses.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const sha256 = (data) => createHash('sha256').update(data).digest();

// CBOR (RFC 8949): the items WebAuthn needs.
function head(major, n) {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
}
const cborInt = (n) => (n >= 0 ? head(0, n) : head(1, -1 - n));
const cborBytes = (b) => Buffer.concat([head(2, b.length), Buffer.from(b)]);
const cborText = (s) => Buffer.concat([head(3, Buffer.byteLength(s)), Buffer.from(s)]);
const cborMap = (pairs) => Buffer.concat([head(5, pairs.length), ...pairs.flat()]);

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export class SoftAuthenticator {
  constructor({ origin, uv = true } = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.jwk = publicKey.export({ format: 'jwk' });
    this.credentialId = randomBytes(16);
    this.count = 0;
    this.origin = origin;
    this.uv = uv;
  }

  get id() {
    return b64url(this.credentialId);
  }

  coseKey() {
    return cborMap([
      [cborInt(1), cborInt(2)], [cborInt(3), cborInt(-7)], [cborInt(-1), cborInt(1)],
      [cborInt(-2), cborBytes(Buffer.from(this.jwk.x, 'base64url'))],
      [cborInt(-3), cborBytes(Buffer.from(this.jwk.y, 'base64url'))],
    ]);
  }

  authData(rpId, attested) {
    const flags = UP | (this.uv ? UV : 0) | (attested ? AT : 0);
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.count);
    const parts = [sha256(rpId), Buffer.from([flags]), count];
    if (attested) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(this.credentialId.length);
      parts.push(Buffer.alloc(16), len, this.credentialId, this.coseKey());
    }
    return Buffer.concat(parts);
  }

  clientData(type, challenge, origin) {
    return Buffer.from(JSON.stringify({ type, challenge, origin: origin ?? this.origin, crossOrigin: false }));
  }

  // create answers navigator.credentials.create({publicKey: options}).
  create(options, { origin } = {}) {
    const att = cborMap([
      [cborText('fmt'), cborText('none')],
      [cborText('attStmt'), cborMap([])],
      [cborText('authData'), cborBytes(this.authData(options.rp.id, true))],
    ]);
    return {
      id: this.id, rawId: this.id, type: 'public-key', authenticatorAttachment: 'cross-platform', clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(this.clientData('webauthn.create', options.challenge, origin)),
        attestationObject: b64url(att), transports: ['usb'],
      },
    };
  }

  // get answers navigator.credentials.get({publicKey: options}) and counts
  // one signature.
  get(options, { origin } = {}) {
    this.count += 1;
    const authData = this.authData(options.rpId, false);
    const clientData = this.clientData('webauthn.get', options.challenge, origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), { key: this.privateKey, dsaEncoding: 'der' });
    return {
      id: this.id, rawId: this.id, type: 'public-key', authenticatorAttachment: 'cross-platform', clientExtensionResults: {},
      response: { clientDataJSON: b64url(clientData), authenticatorData: b64url(authData), signature: b64url(signature) },
    };
  }
}
