/**
 * The TLS server: the carrier's SBC (or the attacker posing as it). It picks
 * the version, suite and group by its own preference among what the client
 * offers, authenticates with its certificate, and — as a secure trunk's SBC
 * does — can ask for and require a client certificate.
 *
 * TLS 1.3 (RFC 8446 §2, §4): ← ClientHello; → ServerHello, {EncryptedExtensions},
 * {CertificateRequest}, {Certificate}, {CertificateVerify}, {Finished};
 * ← {Certificate}, {CertificateVerify}, {Finished}. A ClientHello without a
 * share in an acceptable group gets a HelloRetryRequest (§4.1.4).
 *
 * TLS 1.2 (RFC 5246 §7.3): ← ClientHello; → ServerHello, Certificate,
 * ServerKeyExchange (ECDHE), CertificateRequest, ServerHelloDone;
 * ← Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished;
 * → ChangeCipherSpec, Finished.
 */
import type { Field } from '../wire/field';
import { concatBytes, equalBytes } from '../wire/bytes';
import type { GroupName } from '../crypto/key-agreement';
import { computeSharedSecret, createKeyShare, type EphemeralKeyShare } from './key-exchange';
import { rsaPkcs1Decrypt } from '../crypto/rsa';
import type { PublicKey } from '../pki/keys';
import { fail, TlsFailure } from './alert';
import { CIPHER_SUITES, forwardSecret, TLS_FALLBACK_SCSV, type CipherSuite } from './cipher-suites';
import {
  HANDSHAKE_TYPE,
  NAMED_GROUP,
  SIGNATURE_SCHEME,
  describeHandshakeType,
  describeVersion,
  signatureSchemeName,
  type SignatureSchemeName,
  type TlsVersion,
} from './codepoints';
import type { TlsConfig } from './config';
import { TlsEndpoint } from './endpoint';
import type { HandshakeMessage } from './handshake';
import { Tls12KeySchedule } from './key-schedule-12';
import { Tls13KeySchedule } from './key-schedule-13';
import { keyLogLine } from './key-log';
import { readCertificate, writeCertificate } from './messages/certificate';
import { writeCertificateRequest } from './messages/certificate-request';
import { readCertificateVerify, writeCertificateVerify } from './messages/certificate-verify';
import { writeEncryptedExtensions } from './messages/encrypted-extensions';
import { readFinished, writeFinished } from './messages/finished';
import {
  DOWNGRADE_TLS12,
  HELLO_RETRY_REQUEST_RANDOM,
  readClientHello,
  writeServerHello,
  type ClientHello,
} from './messages/hello';
import {
  encodeServerEcdhParams,
  readClientKeyExchange,
  writeServerHelloDone,
  writeServerKeyExchange,
} from './messages/key-exchange-12';
import { checkPeerChain } from './peer-certificate';
import { peerPublicKey } from './peer-key';
import { certificateVerifyContent, chooseScheme, schemesForKey, sign, verify } from './signature';
import { tls12Ciphers, tls13Cipher } from './traffic-ciphers';
import type { RecordCipher } from './record-cipher';

type Step =
  | 'client_hello'
  | 'client_hello_retry'
  | 'client_certificate'
  | 'client_certificate_verify'
  | 'client_finished'
  | 'client_certificate_12'
  | 'client_key_exchange'
  | 'client_certificate_verify_12'
  | 'client_finished_12'
  | 'done';

export class TlsServer extends TlsEndpoint {
  private step: Step = 'client_hello';
  private clientHello?: ClientHello;
  private serverRandom?: Uint8Array;
  private suite?: CipherSuite;
  private group?: GroupName;
  private scheme?: SignatureSchemeName;
  private peerChain: Uint8Array[] = [];
  private peerKey?: PublicKey;
  private clientAuthenticated = false;
  private retried = false;
  // TLS 1.3
  private ks13?: Tls13KeySchedule;
  private hs?: { client: Uint8Array; server: Uint8Array };
  private clientAppCipher?: RecordCipher;
  private appSecrets?: { client: Uint8Array; server: Uint8Array };
  // TLS 1.2
  private share12?: EphemeralKeyShare;
  private ks12?: Tls12KeySchedule;
  private master?: Uint8Array;
  private ems = false;
  private ciphers12?: { client: RecordCipher; server: RecordCipher };

  constructor(config: TlsConfig) {
    super('server', config);
    if (!config.credentials) throw new Error('a TLS server needs a certificate chain and its private key');
  }

  private get peer(): string {
    return this.config.names?.peer ?? 'client';
  }

  get clientCertificateSent(): boolean {
    return this.peerChain.length > 0;
  }

  protected async handleHandshake(m: HandshakeMessage): Promise<Field[]> {
    const t = m.type;
    const T = HANDSHAKE_TYPE;
    const expecting = (want: number) => {
      if (t !== want) {
        throw fail(
          'unexpected_message',
          `${describeHandshakeType(t)} arrived while the server expected ${describeHandshakeType(want)}`,
        );
      }
    };
    if (this.state === 'start') this.state = 'handshaking';
    switch (this.step) {
      case 'client_hello':
      case 'client_hello_retry':
        expecting(T.client_hello);
        return this.onClientHello(m);
      case 'client_certificate':
        expecting(T.certificate);
        return this.onClientCertificate(m, false);
      case 'client_certificate_verify':
        expecting(T.certificate_verify);
        return this.onClientCertificateVerify(m, false);
      case 'client_finished':
        expecting(T.finished);
        return this.onClientFinished13(m);
      case 'client_certificate_12':
        expecting(T.certificate);
        return this.onClientCertificate(m, true);
      case 'client_key_exchange':
        expecting(T.client_key_exchange);
        return this.onClientKeyExchange(m);
      case 'client_certificate_verify_12':
        expecting(T.certificate_verify);
        return this.onClientCertificateVerify(m, true);
      case 'client_finished_12':
        if (this.ccsPolicy === 'activate')
          throw fail('unexpected_message', `${describeHandshakeType(t)} arrived before the client's ChangeCipherSpec`);
        expecting(T.finished);
        return this.onClientFinished12(m);
      case 'done':
        if (this.version === '1.3' && t === T.key_update) return this.onKeyUpdate(m);
        // RFC 5746 / RFC 8446 §4.1.2: no renegotiation, no second ClientHello.
        throw fail(
          t === T.client_hello ? 'no_renegotiation' : 'unexpected_message',
          `${describeHandshakeType(t)} after the handshake`,
        );
    }
  }

  private chooseVersion(ch: ClientHello): TlsVersion {
    const accepts = this.config.versions;
    const offered = ch.extensions.supportedVersions;
    let version: TlsVersion | undefined;
    if (offered) {
      if (offered.includes(0x0304) && accepts.includes('1.3')) version = '1.3';
      else if (offered.includes(0x0303) && accepts.includes('1.2')) version = '1.2';
    } else if (ch.legacyVersion >= 0x0303 && accepts.includes('1.2')) {
      version = '1.2';
    }
    if (version) {
      // RFC 7507 §3: a fallback retry (TLS_FALLBACK_SCSV) to below the highest version this server speaks
      // means the client's first attempt was made to fail, by a network or an attacker forcing a downgrade.
      const highest = accepts.includes('1.3') ? '1.3' : '1.2';
      if (ch.cipherSuites.includes(TLS_FALLBACK_SCSV) && version !== highest) {
        throw fail(
          'inappropriate_fallback',
          `the ${this.peer} retried with TLS ${version} and says it is falling back (TLS_FALLBACK_SCSV), but the server speaks TLS ${highest}: its first attempt must have been blocked, and the server refuses the downgrade`,
        );
      }
      return version;
    }
    const theirs = offered ? offered.map(describeVersion).join(', ') : describeVersion(ch.legacyVersion);
    throw fail(
      'protocol_version',
      `the ${this.peer} offers ${theirs}; the server accepts only ${accepts.map((v) => `TLS ${v}`).join(' and ')}`,
    );
  }

  private chooseSuite(ch: ClientHello, version: TlsVersion): CipherSuite {
    const key = this.config.credentials!.privateKey;
    for (const name of this.config.cipherSuites) {
      const s = CIPHER_SUITES.find((x) => x.name === name);
      if (!s || s.version !== version || !ch.cipherSuites.includes(s.code)) continue;
      if (s.keyExchange === 'ecdhe_ecdsa' && key.kind !== 'ecdsa-p256') continue;
      if ((s.keyExchange === 'ecdhe_rsa' || s.keyExchange === 'rsa') && key.kind !== 'rsa') continue;
      return s;
    }
    throw fail(
      'handshake_failure',
      `no cipher suite in common: the ${this.peer} offers ${ch.cipherSuites.length === 1 ? 'one suite, which the server does not accept' : `${ch.cipherSuites.length} suites, none of which the server accepts`} for TLS ${version} with its ${key.kind === 'rsa' ? 'RSA' : 'ECDSA'} certificate`,
    );
  }

  private async onClientHello(m: HandshakeMessage): Promise<Field[]> {
    const parsed = readClientHello(m);
    const ch = parsed.value;
    const c = this.config;
    const creds = c.credentials!;
    const retry = this.step === 'client_hello_retry';
    if (!ch.compressionMethods.includes(0))
      throw fail('illegal_parameter', 'the ClientHello does not offer the null compression method');
    const version = retry ? '1.3' : this.chooseVersion(ch);
    const suite = retry ? this.suite! : this.chooseSuite(ch, version);
    if (retry && !ch.cipherSuites.includes(suite.code))
      throw fail('illegal_parameter', 'the second ClientHello dropped the chosen suite');
    this.version = version;
    this.suite = suite;
    this.clientHello = ch;
    const theirSchemes = ch.extensions.signatureAlgorithms;
    if (!theirSchemes) {
      throw fail(
        version === '1.3' ? 'missing_extension' : 'handshake_failure',
        'the ClientHello has no signature_algorithms: the server cannot tell how to sign',
      );
    }
    const scheme = chooseScheme(creds.privateKey, version, c.signatureSchemes, theirSchemes);
    if (!scheme) {
      throw fail(
        'handshake_failure',
        `the ${this.peer} accepts none of the signature schemes the server's key can make (${schemesForKey(creds.privateKey, version).join(', ')})`,
      );
    }
    this.scheme = scheme;
    if (ch.extensions.serverName) this.note(`The ${this.peer} asks for ${ch.extensions.serverName} (SNI).`);

    if (version === '1.3') return this.respond13(m, parsed.fields, ch, suite, retry);
    return this.respond12(m, parsed.fields, ch, suite);
  }

  private async respond13(
    m: HandshakeMessage,
    fields: Field[],
    ch: ClientHello,
    suite: CipherSuite,
    retry: boolean,
  ): Promise<Field[]> {
    const c = this.config;
    const creds = c.credentials!;
    const groups = ch.extensions.supportedGroups;
    const shares = ch.extensions.keyShares;
    if (!groups || !shares)
      throw fail('missing_extension', 'a TLS 1.3 ClientHello needs supported_groups and key_share (RFC 8446 §9.2)');
    const common = c.groups.filter((g) => groups.includes(NAMED_GROUP[g]));
    if (common.length === 0)
      throw fail('handshake_failure', `no key-exchange group in common (the server accepts ${c.groups.join(', ')})`);
    const withShare = common.find((g) => shares.some((s) => s.group === NAMED_GROUP[g]));
    if (!withShare) {
      if (retry) throw fail('illegal_parameter', `the second ClientHello still has no ${this.group} key share`);
      return this.sendHelloRetryRequest(m, fields, ch, suite, common[0]);
    }
    if (retry && withShare !== this.group)
      throw fail('illegal_parameter', 'the second ClientHello answered with another group than the one asked for');
    this.group = withShare;
    this.transcript.push(m.bytes);
    const theirs = shares.find((s) => s.group === NAMED_GROUP[withShare])!;
    const mine = await createKeyShare(withShare, c.random);
    const shared = await computeSharedSecret(mine, theirs.keyExchange);
    if (!shared) throw fail('illegal_parameter', `the ${this.peer}'s ${withShare} key share is not a valid public key`);

    this.serverRandom = c.random.bytes(32);
    this.sendHandshake(
      writeServerHello({
        legacyVersion: 0x0303,
        random: this.serverRandom,
        legacySessionIdEcho: ch.legacySessionId,
        cipherSuite: suite.code,
        compressionMethod: 0,
        extensions: {
          types: [],
          keyShare: { group: NAMED_GROUP[withShare], keyExchange: mine.publicKey },
          selectedVersion: 0x0304,
        },
      }),
      'ServerHello',
    );
    this.emit({
      kind: 'key',
      name: '(EC)DHE shared secret',
      value: shared,
      from: [`server ${withShare} private key`, `client ${withShare} public key`],
      how: `${withShare === 'x25519' ? 'X25519' : 'ECDH P-256'}(server private key, client key_share)`,
      spec: 'RFC 8446 §7.4',
    });
    const ks = new Tls13KeySchedule(suite.hash, this.keySink);
    this.ks13 = ks;
    this.hs = ks.handshake(shared, this.transcriptHash(suite.hash));
    this.keyLog.push(keyLogLine('CLIENT_HANDSHAKE_TRAFFIC_SECRET', ch.random, this.hs.client));
    this.keyLog.push(keyLogLine('SERVER_HANDSHAKE_TRAFFIC_SECRET', ch.random, this.hs.server));
    if (ch.legacySessionId.length > 0 && !retry) {
      this.sendChangeCipherSpec(
        'Sent once in TLS 1.3 for middlebox compatibility; ignored by the peer (RFC 8446 §D.4).',
      );
    }
    this.setWriteCipher(tls13Cipher(suite, ks, 'server_handshake_traffic_secret', this.hs.server, 'handshake'));
    this.setReadCipher(tls13Cipher(suite, ks, 'client_handshake_traffic_secret', this.hs.client, 'handshake'));
    this.ccsPolicy = 'drop';

    this.sendHandshake(
      writeEncryptedExtensions(ch.extensions.serverName ? { serverNameAcknowledged: true } : {}),
      'EncryptedExtensions',
    );
    if (c.requestClientCertificate) {
      this.sendHandshake(
        writeCertificateRequest(
          {
            requestContext: new Uint8Array(0),
            signatureAlgorithms: c.signatureSchemes
              .filter((s) => s !== 'rsa_pkcs1_sha256')
              .map((s) => SIGNATURE_SCHEME[s]),
            certificateAuthorities: [],
            certificateTypes: [],
          },
          false,
        ),
        'CertificateRequest',
      );
    }
    this.sendHandshake(
      writeCertificate({ requestContext: new Uint8Array(0), chain: creds.chain }, false),
      'Certificate',
    );
    const content = certificateVerifyContent('server', this.transcriptHash(suite.hash));
    const signature = await sign(creds.privateKey, this.scheme!, content, c.random);
    this.sendHandshake(
      writeCertificateVerify({ scheme: SIGNATURE_SCHEME[this.scheme!], signature }, false),
      'CertificateVerify',
    );
    const finished = ks.finished(
      'server_handshake_traffic_secret',
      this.hs.server,
      this.transcriptHash(suite.hash),
      'ClientHello..server CertificateVerify',
    );
    this.sendHandshake(writeFinished(finished, false), 'Finished');

    const ap = ks.application(this.transcriptHash(suite.hash));
    this.appSecrets = { client: ap.client, server: ap.server };
    this.keyLog.push(keyLogLine('CLIENT_TRAFFIC_SECRET_0', ch.random, ap.client));
    this.keyLog.push(keyLogLine('SERVER_TRAFFIC_SECRET_0', ch.random, ap.server));
    this.keyLog.push(keyLogLine('EXPORTER_SECRET', ch.random, ap.exporter));
    this.setWriteCipher(tls13Cipher(suite, ks, 'server_application_traffic_secret_0', ap.server, 'application'));
    this.clientAppCipher = tls13Cipher(suite, ks, 'client_application_traffic_secret_0', ap.client, 'application');
    this.step = c.requestClientCertificate ? 'client_certificate' : 'client_finished';
    return fields;
  }

  /** RFC 8446 §4.1.4: ask for a key share in a group the server accepts. */
  private sendHelloRetryRequest(
    m: HandshakeMessage,
    fields: Field[],
    ch: ClientHello,
    suite: CipherSuite,
    group: GroupName,
  ): Field[] {
    this.retried = true;
    this.group = group;
    const ch1Hash = this.transcriptHash(suite.hash, m.bytes);
    this.transcript.length = 0;
    this.transcript.push(concatBytes(Uint8Array.of(HANDSHAKE_TYPE.message_hash, 0, 0, ch1Hash.length), ch1Hash));
    this.note(
      `The ${this.peer} sent no key share the server accepts; the server asks for ${group} (HelloRetryRequest).`,
    );
    this.sendHandshake(
      writeServerHello(
        {
          legacyVersion: 0x0303,
          random: HELLO_RETRY_REQUEST_RANDOM,
          legacySessionIdEcho: ch.legacySessionId,
          cipherSuite: suite.code,
          compressionMethod: 0,
          extensions: { types: [], selectedVersion: 0x0304, selectedGroup: NAMED_GROUP[group] },
        },
        true,
      ),
      'HelloRetryRequest',
    );
    if (ch.legacySessionId.length > 0)
      this.sendChangeCipherSpec('Sent once in TLS 1.3 for middlebox compatibility (RFC 8446 §D.4).');
    this.ccsPolicy = 'drop';
    this.step = 'client_hello_retry';
    return fields;
  }

  private async respond12(m: HandshakeMessage, fields: Field[], ch: ClientHello, suite: CipherSuite): Promise<Field[]> {
    const c = this.config;
    const creds = c.credentials!;
    this.transcript.push(m.bytes);
    this.serverRandom = c.random.bytes(32);
    // RFC 8446 §4.1.3: a server that could do TLS 1.3 marks a TLS 1.2 answer, so a forced downgrade is detected.
    if (c.versions.includes('1.3')) this.serverRandom.set(DOWNGRADE_TLS12, 24);
    this.ems = !!ch.extensions.extendedMasterSecret;
    const secureRenegotiation = ch.extensions.renegotiationInfo !== undefined || ch.cipherSuites.includes(0x00ff);
    if (suite.keyExchange !== 'rsa') {
      const offered = ch.extensions.supportedGroups;
      // RFC 8422 §4: without supported_groups, the client is taken to support secp256r1.
      const group = c.groups.find((g) => (offered ? offered.includes(NAMED_GROUP[g]) : g === 'secp256r1'));
      if (!group)
        throw fail('handshake_failure', `no elliptic curve in common (the server accepts ${c.groups.join(', ')})`);
      this.group = group;
    }
    this.sendHandshake(
      writeServerHello({
        legacyVersion: 0x0303,
        random: this.serverRandom,
        legacySessionIdEcho: new Uint8Array(0),
        cipherSuite: suite.code,
        compressionMethod: 0,
        extensions: {
          types: [],
          ...(ch.extensions.serverName ? { serverNameAcknowledged: true } : {}),
          ...(suite.keyExchange !== 'rsa' && ch.extensions.ecPointFormats ? { ecPointFormats: [0] } : {}),
          ...(this.ems ? { extendedMasterSecret: true } : {}),
          ...(secureRenegotiation ? { renegotiationInfo: new Uint8Array(0) } : {}),
        },
      }),
      'ServerHello',
    );
    this.sendHandshake(
      writeCertificate({ requestContext: new Uint8Array(0), chain: creds.chain }, true),
      'Certificate',
    );
    if (suite.keyExchange !== 'rsa') {
      const share = await createKeyShare(this.group!, c.random);
      this.share12 = share;
      const params = { group: NAMED_GROUP[this.group!], publicKey: share.publicKey };
      const signed = concatBytes(ch.random, this.serverRandom, encodeServerEcdhParams(params));
      const signature = await sign(creds.privateKey, this.scheme!, signed, c.random);
      this.sendHandshake(
        writeServerKeyExchange({ params, scheme: SIGNATURE_SCHEME[this.scheme!], signature }),
        'ServerKeyExchange',
      );
    } else {
      this.scheme = undefined;
      this.note(
        "Static RSA key exchange: the client will encrypt the premaster secret to this certificate's key. No forward secrecy.",
      );
    }
    if (c.requestClientCertificate) {
      this.sendHandshake(
        writeCertificateRequest(
          {
            requestContext: new Uint8Array(0),
            signatureAlgorithms: c.signatureSchemes.map((s) => SIGNATURE_SCHEME[s]),
            certificateAuthorities: [],
            certificateTypes: [1, 64],
          },
          true,
        ),
        'CertificateRequest',
      );
    }
    this.sendHandshake(writeServerHelloDone(), 'ServerHelloDone');
    this.step = c.requestClientCertificate ? 'client_certificate_12' : 'client_key_exchange';
    return fields;
  }

  private async onClientCertificate(m: HandshakeMessage, tls12: boolean): Promise<Field[]> {
    const parsed = readCertificate(m, tls12);
    const chain = parsed.value.chain;
    this.transcript.push(m.bytes);
    if (chain.length === 0) {
      if (this.config.requireClientCertificate) {
        // RFC 8446 §4.4.2.4: certificate_required; RFC 5246 §7.4.6: handshake_failure.
        throw fail(
          tls12 ? 'handshake_failure' : 'certificate_required',
          `the ${this.peer} sent no certificate, and the server requires one`,
        );
      }
      this.note(`The ${this.peer} sent no certificate; the server goes on without client authentication.`);
      this.step = tls12 ? 'client_key_exchange' : 'client_finished';
      return parsed.fields;
    }
    this.peerChain = chain;
    if (this.config.verifyPeer) {
      const check = await checkPeerChain(chain, this.config, 'client', undefined);
      this.emit({ kind: 'certificate-check', ...check.verdict });
      if (check.alert) throw new TlsFailure(check.alert);
    } else {
      this.note(`The server accepts the ${this.peer}'s certificate without checking it.`);
    }
    this.peerKey = peerPublicKey(chain[0], this.peer);
    this.step = tls12 ? 'client_key_exchange' : 'client_certificate_verify';
    return parsed.fields;
  }

  private async onClientCertificateVerify(m: HandshakeMessage, tls12: boolean): Promise<Field[]> {
    const parsed = readCertificateVerify(m, tls12);
    const { scheme, signature } = parsed.value;
    const name = signatureSchemeName(scheme);
    const offered = this.config.signatureSchemes.some(
      (s) => SIGNATURE_SCHEME[s] === scheme && (tls12 || s !== 'rsa_pkcs1_sha256'),
    );
    if (!offered)
      throw fail(
        'illegal_parameter',
        `the ${this.peer} signed with ${name ?? `scheme 0x${scheme.toString(16)}`}, which the server did not ask for`,
      );
    const content = tls12
      ? this.transcriptBytes()
      : certificateVerifyContent('client', this.transcriptHash(this.suite!.hash));
    if (!(await verify(this.peerKey!, scheme, content, signature))) {
      throw fail(
        'decrypt_error',
        `the ${this.peer}'s CertificateVerify does not verify: it does not hold the private key of its certificate`,
      );
    }
    this.clientAuthenticated = true;
    this.note(`The ${this.peer} proved it holds its certificate's private key (${name}).`);
    this.transcript.push(m.bytes);
    if (tls12) {
      this.ccsPolicy = 'activate';
      this.step = 'client_finished_12';
    } else {
      this.step = 'client_finished';
    }
    return parsed.fields;
  }

  private async onClientFinished13(m: HandshakeMessage): Promise<Field[]> {
    const parsed = readFinished(m, false);
    const expected = this.ks13!.finished(
      'client_handshake_traffic_secret',
      this.hs!.client,
      this.transcriptHash(this.suite!.hash),
      'ClientHello..client CertificateVerify',
    );
    if (!equalBytes(expected, parsed.value))
      throw fail('decrypt_error', `the ${this.peer}'s Finished does not match: the handshake was altered on the way`);
    this.transcript.push(m.bytes);
    this.setReadCipher(this.clientAppCipher!);
    this.traffic13 = {
      suite: this.suite!,
      ks: this.ks13!,
      read: this.appSecrets!.client,
      write: this.appSecrets!.server,
      generation: { read: 0, write: 0 },
    };
    this.step = 'done';
    this.finish();
    return parsed.fields;
  }

  private async onClientKeyExchange(m: HandshakeMessage): Promise<Field[]> {
    const suite = this.suite!;
    const c = this.config;
    const ch = this.clientHello!;
    const parsed = readClientKeyExchange(m, suite.keyExchange === 'rsa' ? 'rsa' : 'ecdhe');
    const cke = parsed.value;
    let premaster: Uint8Array;
    let premasterName: string;
    if (cke.kind === 'rsa') {
      const key = c.credentials!.privateKey;
      if (key.kind !== 'rsa') throw fail('internal_error', 'the RSA key exchange needs an RSA key');
      // RFC 5246 §7.4.7.1: on any decryption or version failure, carry on with a random premaster secret, so a
      // Bleichenbacher attacker cannot tell a good padding from a bad one.
      const fallback = concatBytes(Uint8Array.of(0x03, 0x03), c.random.bytes(46));
      const decrypted = await rsaPkcs1Decrypt(key.key, cke.encryptedPremaster);
      const good = decrypted !== undefined && decrypted.length === 48 && decrypted[0] === 0x03 && decrypted[1] === 0x03;
      premaster = good ? decrypted : fallback;
      premasterName = 'pre_master_secret';
      this.emit({
        kind: 'key',
        name: premasterName,
        value: premaster,
        from: ['ClientKeyExchange', 'server RSA private key'],
        how: 'RSAES-PKCS1-v1_5-Decrypt(server private key, EncryptedPreMasterSecret)',
        spec: 'RFC 5246 §7.4.7.1',
      });
    } else {
      const shared = await computeSharedSecret(this.share12!, cke.publicKey);
      if (!shared) throw fail('illegal_parameter', `the ${this.peer}'s ${this.group} public key is not a valid point`);
      premaster = shared;
      premasterName = 'pre_master_secret (ECDHE shared secret)';
      this.emit({
        kind: 'key',
        name: premasterName,
        value: shared,
        from: [`server ${this.group} private key`, `client ${this.group} public key`],
        how: `${this.group === 'x25519' ? 'X25519' : 'ECDH P-256'}(server private key, ClientKeyExchange public key)`,
        spec: 'RFC 8422 §5.10',
      });
    }
    this.transcript.push(m.bytes);
    const ks = new Tls12KeySchedule(suite.hash, this.keySink);
    this.ks12 = ks;
    this.master = ks.masterSecret(
      premaster,
      premasterName,
      this.ems
        ? { extended: true, sessionHash: this.transcriptHash(suite.hash) }
        : { extended: false, clientRandom: ch.random, serverRandom: this.serverRandom! },
    );
    this.keyLog.push(keyLogLine('CLIENT_RANDOM', ch.random, this.master));
    const keys = ks.keyBlock(this.master, ch.random, this.serverRandom!, suite.cipher);
    this.ciphers12 = tls12Ciphers(suite, keys, c.random);
    this.pendingReadCipher = this.ciphers12.client;
    if (this.peerChain.length > 0) {
      this.step = 'client_certificate_verify_12';
    } else {
      this.ccsPolicy = 'activate';
      this.step = 'client_finished_12';
    }
    return parsed.fields;
  }

  private async onClientFinished12(m: HandshakeMessage): Promise<Field[]> {
    const suite = this.suite!;
    const parsed = readFinished(m, true);
    const expected = this.ks12!.verifyData(this.master!, 'client', this.transcriptHash(suite.hash));
    if (!equalBytes(expected, parsed.value))
      throw fail('decrypt_error', `the ${this.peer}'s Finished does not match: the handshake was altered on the way`);
    this.transcript.push(m.bytes);
    this.sendChangeCipherSpec('From the next record on, the server encrypts with the keys just derived.');
    this.setWriteCipher(this.ciphers12!.server);
    this.sendHandshake(
      writeFinished(this.ks12!.verifyData(this.master!, 'server', this.transcriptHash(suite.hash)), true),
      'Finished',
    );
    this.step = 'done';
    this.finish();
    return parsed.fields;
  }

  private finish(): void {
    const suite = this.suite!;
    this.connected({
      version: this.version!,
      cipherSuite: suite.name,
      keyExchange: suite.keyExchange === 'rsa' ? 'rsa' : this.group!,
      ...(this.scheme ? { signatureScheme: this.scheme } : {}),
      ...(this.clientHello!.extensions.serverName ? { serverName: this.clientHello!.extensions.serverName } : {}),
      clientAuthenticated: this.clientAuthenticated,
      peerCertificates: this.peerChain,
      ...(this.version === '1.2' ? { extendedMasterSecret: this.ems } : {}),
      forwardSecrecy: forwardSecret(suite),
    });
    if (this.retried) this.note('The handshake took a HelloRetryRequest: one extra round trip.');
  }
}
