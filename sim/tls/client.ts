/**
 * The TLS client: the PBX dialling the carrier's SBC (or the attacker's
 * client towards it). TLS 1.3 (RFC 8446) and TLS 1.2 (RFC 5246, RFC 5289,
 * RFC 7627), with a client certificate when the server asks for one.
 *
 * TLS 1.3 (RFC 8446 §2, §4):
 *   → ClientHello (key_share)   ← ServerHello, {EncryptedExtensions}, {CertificateRequest},
 *                                  {Certificate}, {CertificateVerify}, {Finished}
 *   → {Certificate}, {CertificateVerify}, {Finished}   (braces: under handshake keys)
 * A HelloRetryRequest (§4.1.4) asks for a share in another group; the client
 * sends a second ClientHello and the transcript starts with message_hash.
 *
 * TLS 1.2 (RFC 5246 §7.3):
 *   → ClientHello   ← ServerHello, Certificate, ServerKeyExchange (ECDHE), CertificateRequest, ServerHelloDone
 *   → Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished
 *   ← ChangeCipherSpec, Finished
 */
import type { Field } from '../wire/field';
import { concatBytes, equalBytes } from '../wire/bytes';
import type { GroupName } from '../crypto/key-agreement';
import { computeSharedSecret, createKeyShare, type EphemeralKeyShare } from './key-exchange';
import { rsaPkcs1Encrypt } from '../crypto/rsa';
import type { PublicKey } from '../pki/keys';
import { fail, TlsFailure } from './alert';
import { CIPHER_SUITES, describeSuite, forwardSecret, suiteByCode, type CipherSuite } from './cipher-suites';
import {
  HANDSHAKE_TYPE,
  NAMED_GROUP,
  SIGNATURE_SCHEME,
  VERSION_CODE,
  describeGroup,
  describeHandshakeType,
  groupName,
  signatureSchemeName,
  type SignatureSchemeName,
  type TlsVersion,
} from './codepoints';
import type { TlsConfig } from './config';
import { EndpointMisuse, TlsEndpoint } from './endpoint';
import type { HandshakeMessage } from './handshake';
import { Tls12KeySchedule } from './key-schedule-12';
import { Tls13KeySchedule } from './key-schedule-13';
import { keyLogLine } from './key-log';
import { readCertificate, writeCertificate } from './messages/certificate';
import { readCertificateRequest, type CertificateRequest } from './messages/certificate-request';
import { readCertificateVerify, writeCertificateVerify } from './messages/certificate-verify';
import { readEncryptedExtensions } from './messages/encrypted-extensions';
import { readFinished, writeFinished } from './messages/finished';
import {
  DOWNGRADE_TLS12,
  isHelloRetryRequest,
  readServerHello,
  writeClientHello,
  type ClientHello,
  type ServerHello,
} from './messages/hello';
import {
  readServerHelloDone,
  readServerKeyExchange,
  writeClientKeyExchange,
  type ServerKeyExchange,
} from './messages/key-exchange-12';
import { readNewSessionTicket } from './messages/post-handshake';
import { checkPeerChain } from './peer-certificate';
import { peerPublicKey } from './peer-key';
import { PlaintextCipher } from './record-cipher';
import { certificateVerifyContent, chooseScheme, sign, verify } from './signature';
import { tls12Ciphers, tls13Cipher } from './traffic-ciphers';

type Step =
  | 'server_hello'
  | 'encrypted_extensions'
  | 'certificate_request_or_certificate'
  | 'certificate_verify'
  | 'finished'
  | 'certificate_12'
  | 'server_key_exchange'
  | 'certificate_request_or_done'
  | 'server_hello_done'
  | 'finished_12'
  | 'done';

export class TlsClient extends TlsEndpoint {
  private step: Step = 'server_hello';
  private clientHello?: ClientHello;
  private shares: EphemeralKeyShare[] = [];
  private suite?: CipherSuite;
  private retried = false;
  private serverHello?: ServerHello;
  private request?: CertificateRequest;
  private peerChain: Uint8Array[] = [];
  private peerKey?: PublicKey;
  private schemeUsed?: string;
  private sentCertificate = false;
  // TLS 1.3
  private ks13?: Tls13KeySchedule;
  private hs?: { client: Uint8Array; server: Uint8Array };
  // TLS 1.2
  private serverKx?: ServerKeyExchange;
  private master?: Uint8Array;
  private ks12?: Tls12KeySchedule;
  private ems = false;

  constructor(config: TlsConfig) {
    super('client', config);
  }

  private get peer(): string {
    return this.config.names?.peer ?? 'server';
  }

  get clientCertificateSent(): boolean {
    return this.sentCertificate;
  }

  protected override async begin(): Promise<void> {
    if (this.state !== 'start') throw new EndpointMisuse('the handshake has already started');
    this.state = 'handshaking';
    const c = this.config;
    const offers13 = c.versions.includes('1.3');
    const offers12 = c.versions.includes('1.2');
    const suites = c.cipherSuites
      .map((name) => CIPHER_SUITES.find((s) => s.name === name)!)
      .filter((s) => s && c.versions.includes(s.version));
    if (suites.length === 0) throw new EndpointMisuse('the client offers no cipher suite for the versions it offers');
    const shareGroups: GroupName[] = offers13 ? (c.keyShareGroups ?? [c.groups[0]]) : [];
    this.shares = [];
    for (const g of shareGroups) this.shares.push(await createKeyShare(g, c.random));
    // RFC 6066 §3: literal IP addresses are not sent as SNI.
    const sni = c.serverName && !/^[\d.]+$|:/.test(c.serverName) ? c.serverName : undefined;
    const hello: ClientHello = {
      legacyVersion: 0x0303,
      random: c.random.bytes(32),
      // RFC 8446 §D.4: a non-empty session id puts the handshake in middlebox compatibility mode.
      legacySessionId: offers13 ? c.random.bytes(32) : new Uint8Array(0),
      cipherSuites: suites.map((s) => s.code),
      compressionMethods: [0],
      extensions: {
        types: [],
        ...(sni ? { serverName: sni } : {}),
        ...(offers12 ? { ecPointFormats: [0] } : {}),
        supportedGroups: c.groups.map((g) => NAMED_GROUP[g]),
        signatureAlgorithms: c.signatureSchemes.map((s) => SIGNATURE_SCHEME[s]),
        ...(offers12 ? { extendedMasterSecret: true, renegotiationInfo: new Uint8Array(0) } : {}),
        ...(offers13 ? { supportedVersions: c.versions.map((v) => VERSION_CODE[v]) } : {}),
        ...(offers13
          ? {
              pskKeyExchangeModes: [1],
              keyShares: this.shares.map((s) => ({ group: NAMED_GROUP[s.group], keyExchange: s.publicKey })),
            }
          : {}),
      },
    };
    this.clientHello = hello;
    // RFC 8446 §5.1: the first ClientHello's record may say TLS 1.0 (0x0301) for old middleboxes.
    this.setWriteCipher(new PlaintextCipher(0x0301));
    this.sendHandshake(writeClientHello(hello), 'ClientHello');
    this.setWriteCipher(new PlaintextCipher(0x0303));
  }

  protected async handleHandshake(m: HandshakeMessage): Promise<Field[]> {
    const t = m.type;
    const T = HANDSHAKE_TYPE;
    const unexpected = () =>
      fail(
        'unexpected_message',
        `${describeHandshakeType(t)} arrived while the client expected ${this.step.replace(/_/g, ' ')}`,
      );
    switch (this.step) {
      case 'server_hello':
        if (t !== T.server_hello) throw unexpected();
        return this.onServerHello(m);
      case 'encrypted_extensions': {
        if (t !== T.encrypted_extensions) throw unexpected();
        const ee = readEncryptedExtensions(m);
        if (ee.value.keyShare || ee.value.selectedVersion !== undefined) {
          throw fail('illegal_parameter', 'EncryptedExtensions carries an extension that belongs in ServerHello');
        }
        this.transcript.push(m.bytes);
        this.step = 'certificate_request_or_certificate';
        return ee.fields;
      }
      case 'certificate_request_or_certificate':
        if (t === T.certificate_request && !this.request) {
          const cr = readCertificateRequest(m, false);
          this.request = cr.value;
          this.transcript.push(m.bytes);
          this.note(`The ${this.peer} asks for a client certificate.`);
          return cr.fields;
        }
        if (t !== T.certificate) throw unexpected();
        return this.onServerCertificate(m, false);
      case 'certificate_verify':
        if (t !== T.certificate_verify) throw unexpected();
        return this.onServerCertificateVerify(m);
      case 'finished':
        if (t !== T.finished) throw unexpected();
        return this.onServerFinished13(m);
      case 'certificate_12':
        if (t !== T.certificate) throw unexpected();
        return this.onServerCertificate(m, true);
      case 'server_key_exchange':
        if (t !== T.server_key_exchange) throw unexpected();
        return this.onServerKeyExchange(m);
      case 'certificate_request_or_done':
        if (t === T.certificate_request) {
          const cr = readCertificateRequest(m, true);
          this.request = cr.value;
          this.transcript.push(m.bytes);
          this.note(`The ${this.peer} asks for a client certificate.`);
          this.step = 'server_hello_done';
          return cr.fields;
        }
        if (t !== T.server_hello_done) throw unexpected();
        return this.onServerHelloDone(m);
      case 'server_hello_done':
        if (t !== T.server_hello_done) throw unexpected();
        return this.onServerHelloDone(m);
      case 'finished_12':
        if (t !== T.finished || this.ccsPolicy === 'activate') {
          throw fail(
            'unexpected_message',
            `${describeHandshakeType(t)} arrived before the ${this.peer}'s ChangeCipherSpec`,
          );
        }
        return this.onServerFinished12(m);
      case 'done':
        if (this.version === '1.3' && t === T.new_session_ticket) {
          const ticket = readNewSessionTicket(m, false);
          this.note(
            `The ${this.peer} sent a session ticket (valid ${ticket.value.lifetimeSeconds} s); this client does not resume sessions and sets it aside.`,
          );
          return ticket.fields;
        }
        if (this.version === '1.3' && t === T.key_update) return this.onKeyUpdate(m);
        throw fail('unexpected_message', `${describeHandshakeType(t)} after the handshake`);
    }
  }

  private async onServerHello(m: HandshakeMessage): Promise<Field[]> {
    const parsed = readServerHello(m);
    const sh = parsed.value;
    const c = this.config;
    const ch = this.clientHello!;
    if (sh.compressionMethod !== 0)
      throw fail('illegal_parameter', 'the server chose a compression method; TLS forbids compression');
    // Which version? RFC 8446 §4.2.1: supported_versions in ServerHello means TLS 1.3.
    let version: TlsVersion;
    if (sh.extensions.selectedVersion !== undefined) {
      if (sh.extensions.selectedVersion !== 0x0304 || !c.versions.includes('1.3')) {
        throw fail(
          'illegal_parameter',
          `the server selected version 0x${sh.extensions.selectedVersion.toString(16)}, which the client did not offer`,
        );
      }
      version = '1.3';
    } else if (sh.legacyVersion === 0x0303 && c.versions.includes('1.2')) {
      version = '1.2';
      // RFC 8446 §4.1.3: a TLS 1.3 server that answers TLS 1.2 says so in its random; an attacker forcing a downgrade cannot hide it.
      if (c.versions.includes('1.3') && equalBytes(sh.random.subarray(24), DOWNGRADE_TLS12)) {
        throw fail(
          'illegal_parameter',
          'the server random carries the TLS 1.3 downgrade sentinel: someone forced TLS 1.2',
        );
      }
    } else {
      throw fail(
        'protocol_version',
        `the server answered with ${sh.legacyVersion === 0x0303 ? 'TLS 1.2' : `version 0x${sh.legacyVersion.toString(16)}`}, which this client does not accept (it offers ${c.versions.map((v) => `TLS ${v}`).join(' and ')})`,
      );
    }
    const suite = suiteByCode(sh.cipherSuite);
    if (!suite || !ch.cipherSuites.includes(sh.cipherSuite) || suite.version !== version) {
      throw fail(
        'illegal_parameter',
        `the server chose ${describeSuite(sh.cipherSuite)}, which the client did not offer for TLS ${version}`,
      );
    }
    if (this.retried && this.suite && this.suite.code !== suite.code) {
      throw fail(
        'illegal_parameter',
        'the ServerHello changed the cipher suite the HelloRetryRequest chose (RFC 8446 §4.1.4)',
      );
    }
    this.version = version;
    this.suite = suite;

    if (version === '1.3' && isHelloRetryRequest(sh)) return this.onHelloRetryRequest(m, sh, parsed.fields);

    this.serverHello = sh;
    this.transcript.push(m.bytes);
    this.note(`The ${this.peer} chose TLS ${version} with ${suite.name}.`);
    if (version === '1.2') {
      this.ems = !!sh.extensions.extendedMasterSecret;
      this.step = 'certificate_12';
      return parsed.fields;
    }

    if (!equalBytes(sh.legacySessionIdEcho, ch.legacySessionId)) {
      throw fail('illegal_parameter', "the server did not echo the client's legacy_session_id (RFC 8446 §4.1.3)");
    }
    const theirs = sh.extensions.keyShare;
    if (!theirs) throw fail('missing_extension', 'a TLS 1.3 ServerHello without key_share');
    const mine = this.shares.find((s) => NAMED_GROUP[s.group] === theirs.group);
    if (!mine)
      throw fail(
        'illegal_parameter',
        `the server's key share is for ${describeGroup(theirs.group)}, for which the client sent none`,
      );
    const shared = await computeSharedSecret(mine, theirs.keyExchange);
    if (!shared) throw fail('illegal_parameter', `the server's ${mine.group} public key is not a valid point`);
    this.emit({
      kind: 'key',
      name: '(EC)DHE shared secret',
      value: shared,
      from: [`client ${mine.group} private key`, `server ${mine.group} public key`],
      how: `${mine.group === 'x25519' ? 'X25519' : 'ECDH P-256'}(client private key, server key_share)`,
      spec: 'RFC 8446 §7.4',
    });
    this.ks13 = new Tls13KeySchedule(suite.hash, this.keySink);
    this.hs = this.ks13.handshake(shared, this.transcriptHash(suite.hash));
    this.keyLog.push(keyLogLine('CLIENT_HANDSHAKE_TRAFFIC_SECRET', ch.random, this.hs.client));
    this.keyLog.push(keyLogLine('SERVER_HANDSHAKE_TRAFFIC_SECRET', ch.random, this.hs.server));
    this.setReadCipher(tls13Cipher(suite, this.ks13, 'server_handshake_traffic_secret', this.hs.server, 'handshake'));
    this.ccsPolicy = 'drop';
    // From here on the client writes under its handshake keys, so that even an alert about the server's
    // flight is protected (RFC 8446 §6); the compatibility ChangeCipherSpec goes just before (§D.4).
    if (ch.legacySessionId.length > 0 && !this.retried) {
      this.sendChangeCipherSpec(
        'Sent once in TLS 1.3 for middlebox compatibility; ignored by the peer (RFC 8446 §D.4).',
      );
    }
    this.setWriteCipher(tls13Cipher(suite, this.ks13, 'client_handshake_traffic_secret', this.hs.client, 'handshake'));
    this.step = 'encrypted_extensions';
    return parsed.fields;
  }

  /** RFC 8446 §4.1.4: send a second ClientHello with a share for the group the server wants. */
  private async onHelloRetryRequest(m: HandshakeMessage, hrr: ServerHello, fields: Field[]): Promise<Field[]> {
    if (this.retried) throw fail('unexpected_message', 'a second HelloRetryRequest (RFC 8446 §4.1.4)');
    this.retried = true;
    const group = hrr.extensions.selectedGroup;
    const name = group === undefined ? undefined : (groupName(group) as GroupName | undefined);
    if (!name || !this.config.groups.includes(name) || this.shares.some((s) => s.group === name)) {
      throw fail(
        'illegal_parameter',
        `the HelloRetryRequest asks for ${group === undefined ? 'no group' : describeGroup(group)}, which the client cannot give`,
      );
    }
    const suite = this.suite!;
    // The transcript restarts with message_hash = Hash(ClientHello1) (RFC 8446 §4.4.1).
    const ch1Hash = this.transcriptHash(suite.hash);
    this.transcript.length = 0;
    this.transcript.push(
      concatBytes(Uint8Array.of(HANDSHAKE_TYPE.message_hash, 0, 0, ch1Hash.length), ch1Hash),
      m.bytes,
    );
    this.note(`The ${this.peer} sent a HelloRetryRequest: it wants a key share for ${name}.`);
    this.shares = [await createKeyShare(name, this.config.random)];
    const ch = {
      ...this.clientHello!,
      extensions: {
        ...this.clientHello!.extensions,
        keyShares: this.shares.map((s) => ({ group: NAMED_GROUP[s.group], keyExchange: s.publicKey })),
      },
    };
    this.clientHello = ch;
    this.ccsPolicy = 'drop';
    this.sendChangeCipherSpec('Sent once in TLS 1.3 for middlebox compatibility; ignored by the peer (RFC 8446 §D.4).');
    this.sendHandshake(writeClientHello(ch), 'ClientHello (second)');
    return fields;
  }

  private async onServerCertificate(m: HandshakeMessage, tls12: boolean): Promise<Field[]> {
    const parsed = readCertificate(m, tls12);
    const chain = parsed.value.chain;
    if (chain.length === 0)
      throw fail('decode_error', `the ${this.peer} sent an empty Certificate (RFC 8446 §4.4.2.4)`);
    this.transcript.push(m.bytes);
    this.peerChain = chain;
    await this.checkChain(chain);
    this.peerKey = peerPublicKey(chain[0], this.peer);
    if (tls12) {
      const kx = this.suite!.keyExchange;
      const wants = kx === 'ecdhe_ecdsa' ? 'ecdsa-p256' : 'rsa';
      if (this.peerKey.kind !== wants) {
        throw fail(
          'bad_certificate',
          `${this.suite!.name} needs an ${wants === 'rsa' ? 'RSA' : 'ECDSA'} certificate; the ${this.peer} sent one with an ${this.peerKey.kind === 'rsa' ? 'RSA' : 'ECDSA'} key`,
        );
      }
      this.step = kx === 'rsa' ? 'certificate_request_or_done' : 'server_key_exchange';
    } else {
      this.step = 'certificate_verify';
    }
    return parsed.fields;
  }

  private async checkChain(chain: Uint8Array[]): Promise<void> {
    if (!this.config.verifyPeer) {
      this.note(
        `The ${this.config.names?.self ?? 'client'} accepts the ${this.peer}'s certificate without checking it: anyone could be on the other end.`,
      );
      return;
    }
    const name = this.config.checkServerName === false ? undefined : this.config.serverName;
    const check = await checkPeerChain(chain, this.config, 'server', name);
    this.emit({ kind: 'certificate-check', ...check.verdict });
    if (check.alert) throw new TlsFailure(check.alert);
  }

  private async onServerCertificateVerify(m: HandshakeMessage): Promise<Field[]> {
    const parsed = readCertificateVerify(m, false);
    const { scheme, signature } = parsed.value;
    this.checkOfferedScheme(scheme, '1.3');
    const content = certificateVerifyContent('server', this.transcriptHash(this.suite!.hash));
    if (!(await verify(this.peerKey!, scheme, content, signature))) {
      throw fail(
        'decrypt_error',
        `the ${this.peer}'s CertificateVerify signature does not verify: it does not hold the private key of its certificate`,
      );
    }
    this.schemeUsed = signatureSchemeName(scheme);
    this.note(`The ${this.peer} proved it holds its certificate's private key (${this.schemeUsed}).`);
    this.transcript.push(m.bytes);
    this.step = 'finished';
    return parsed.fields;
  }

  private checkOfferedScheme(scheme: number, version: TlsVersion): void {
    const name = signatureSchemeName(scheme);
    const offered = this.config.signatureSchemes.some((s) => SIGNATURE_SCHEME[s] === scheme);
    if (!offered || (version === '1.3' && name === 'rsa_pkcs1_sha256')) {
      throw fail(
        'illegal_parameter',
        `the ${this.peer} signed with ${name ?? `scheme 0x${scheme.toString(16)}`}, which the client did not offer for TLS ${version}`,
      );
    }
  }

  private async onServerFinished13(m: HandshakeMessage): Promise<Field[]> {
    const suite = this.suite!;
    const ks = this.ks13!;
    const parsed = readFinished(m, false);
    const expected = ks.finished(
      'server_handshake_traffic_secret',
      this.hs!.server,
      this.transcriptHash(suite.hash),
      'ClientHello..server CertificateVerify',
    );
    if (!equalBytes(expected, parsed.value)) {
      throw fail('decrypt_error', `the ${this.peer}'s Finished does not match: the handshake was altered on the way`);
    }
    this.transcript.push(m.bytes);
    const ch = this.clientHello!;
    const ap = ks.application(this.transcriptHash(suite.hash));
    this.keyLog.push(keyLogLine('CLIENT_TRAFFIC_SECRET_0', ch.random, ap.client));
    this.keyLog.push(keyLogLine('SERVER_TRAFFIC_SECRET_0', ch.random, ap.server));
    this.keyLog.push(keyLogLine('EXPORTER_SECRET', ch.random, ap.exporter));
    this.setReadCipher(tls13Cipher(suite, ks, 'server_application_traffic_secret_0', ap.server, 'application'));
    this.traffic13 = { suite, ks, read: ap.server, write: ap.client, generation: { read: 0, write: 0 } };

    // The client's flight, under the client handshake keys (already in place since ServerHello).
    if (this.request) await this.sendClientCertificate();
    const finished = ks.finished(
      'client_handshake_traffic_secret',
      this.hs!.client,
      this.transcriptHash(suite.hash),
      'ClientHello..client CertificateVerify',
    );
    this.sendHandshake(writeFinished(finished, false), 'Finished');
    this.setWriteCipher(tls13Cipher(suite, ks, 'client_application_traffic_secret_0', ap.client, 'application'));
    this.step = 'done';
    this.finish('1.3');
    return parsed.fields;
  }

  /**
   * Which scheme the client can answer the CertificateRequest with, or undefined (with a note saying why)
   * when it will send an empty Certificate: no credentials, no common scheme, or (TLS 1.2) a key type
   * the server did not list (RFC 5246 §7.4.4).
   */
  private clientCertificateScheme(version: TlsVersion): SignatureSchemeName | undefined {
    const creds = this.config.credentials;
    const request = this.request!;
    if (!creds) {
      this.note(`The ${this.peer} asks for a certificate, but the client has none to send.`);
      return undefined;
    }
    const typeOk =
      version === '1.3' ||
      request.certificateTypes.length === 0 ||
      request.certificateTypes.includes(creds.privateKey.kind === 'rsa' ? 1 : 64);
    const scheme = typeOk
      ? chooseScheme(creds.privateKey, version, this.config.signatureSchemes, request.signatureAlgorithms)
      : undefined;
    if (!scheme)
      this.note(`The ${this.peer} accepts no signature the client's key can make; the client sends no certificate.`);
    return scheme;
  }

  /** TLS 1.3: Certificate (possibly empty) and, with a certificate, CertificateVerify (RFC 8446 §4.4.2–4.4.3). */
  private async sendClientCertificate(): Promise<void> {
    const request = this.request!;
    const scheme = this.clientCertificateScheme('1.3');
    const chain = scheme ? this.config.credentials!.chain : [];
    this.sendHandshake(
      writeCertificate({ requestContext: request.requestContext, chain }, false),
      chain.length ? 'Certificate' : 'Certificate (empty)',
    );
    if (!scheme) return;
    this.sentCertificate = true;
    const content = certificateVerifyContent('client', this.transcriptHash(this.suite!.hash));
    const signature = await sign(this.config.credentials!.privateKey, scheme, content, this.config.random);
    this.sendHandshake(
      writeCertificateVerify({ scheme: SIGNATURE_SCHEME[scheme], signature }, false),
      'CertificateVerify',
    );
  }

  private async onServerKeyExchange(m: HandshakeMessage): Promise<Field[]> {
    const parsed = readServerKeyExchange(m);
    const skx = parsed.value;
    const group = groupName(skx.params.group) as GroupName | undefined;
    if (!group || !this.config.groups.includes(group)) {
      throw fail(
        'illegal_parameter',
        `the ${this.peer} chose ${describeGroup(skx.params.group)}, which the client did not offer`,
      );
    }
    this.checkOfferedScheme(skx.scheme, '1.2');
    const signed = concatBytes(this.clientHello!.random, this.serverHello!.random, skx.paramsBytes);
    if (!(await verify(this.peerKey!, skx.scheme, signed, skx.signature))) {
      throw fail(
        'decrypt_error',
        `the ${this.peer}'s ServerKeyExchange signature does not verify: its key share may have been replaced`,
      );
    }
    this.schemeUsed = signatureSchemeName(skx.scheme);
    this.serverKx = skx;
    this.transcript.push(m.bytes);
    this.step = 'certificate_request_or_done';
    return parsed.fields;
  }

  private async onServerHelloDone(m: HandshakeMessage): Promise<Field[]> {
    const parsed = readServerHelloDone(m);
    this.transcript.push(m.bytes);
    const suite = this.suite!;
    const c = this.config;
    const ch = this.clientHello!;
    const sh = this.serverHello!;
    const clientScheme = this.request ? this.sendClientCertificate12() : undefined;

    let premaster: Uint8Array;
    let premasterName: string;
    if (suite.keyExchange === 'rsa') {
      // RFC 5246 §7.4.7.1: client_version (the version offered) || 46 random bytes, encrypted to the certificate key.
      premaster = concatBytes(Uint8Array.of(0x03, 0x03), c.random.bytes(46));
      premasterName = 'pre_master_secret';
      this.emit({
        kind: 'key',
        name: premasterName,
        value: premaster,
        from: ['client random generator'],
        how: 'client_version (0x0303) || 46 random bytes',
        spec: 'RFC 5246 §7.4.7.1',
      });
      if (this.peerKey!.kind !== 'rsa') throw fail('bad_certificate', 'the RSA key exchange needs an RSA certificate');
      const encrypted = await rsaPkcs1Encrypt(this.peerKey!.key, premaster, c.random);
      this.sendHandshake(writeClientKeyExchange({ kind: 'rsa', encryptedPremaster: encrypted }), 'ClientKeyExchange');
    } else {
      const skx = this.serverKx!;
      const group = groupName(skx.params.group) as GroupName;
      const share = await createKeyShare(group, c.random);
      const shared = await computeSharedSecret(share, skx.params.publicKey);
      if (!shared) throw fail('illegal_parameter', `the ${this.peer}'s ${group} public key is not a valid point`);
      premaster = shared;
      premasterName = 'pre_master_secret (ECDHE shared secret)';
      this.emit({
        kind: 'key',
        name: premasterName,
        value: shared,
        from: [`client ${group} private key`, `server ${group} public key`],
        how: `${group === 'x25519' ? 'X25519' : 'ECDH P-256'}(client private key, ServerKeyExchange public key)`,
        spec: 'RFC 8422 §5.10',
      });
      this.sendHandshake(writeClientKeyExchange({ kind: 'ecdhe', publicKey: share.publicKey }), 'ClientKeyExchange');
    }
    const ks = new Tls12KeySchedule(suite.hash, this.keySink);
    this.ks12 = ks;
    this.master = ks.masterSecret(
      premaster,
      premasterName,
      this.ems
        ? { extended: true, sessionHash: this.transcriptHash(suite.hash) }
        : { extended: false, clientRandom: ch.random, serverRandom: sh.random },
    );
    this.keyLog.push(keyLogLine('CLIENT_RANDOM', ch.random, this.master));
    if (clientScheme) {
      const scheme = clientScheme;
      // RFC 5246 §7.4.8: the signature covers every handshake message so far.
      const signature = await sign(c.credentials!.privateKey, scheme, this.transcriptBytes(), c.random);
      this.sendHandshake(
        writeCertificateVerify({ scheme: SIGNATURE_SCHEME[scheme], signature }, true),
        'CertificateVerify',
      );
    }
    const keys = ks.keyBlock(this.master, ch.random, sh.random, suite.cipher);
    const ciphers = tls12Ciphers(suite, keys, c.random);
    this.sendChangeCipherSpec('From the next record on, the client encrypts with the keys just derived.');
    this.setWriteCipher(ciphers.client);
    const verifyData = ks.verifyData(this.master, 'client', this.transcriptHash(suite.hash));
    this.sendHandshake(writeFinished(verifyData, true), 'Finished');
    this.pendingReadCipher = ciphers.server;
    this.ccsPolicy = 'activate';
    this.step = 'finished_12';
    return parsed.fields;
  }

  /** TLS 1.2: the Certificate goes before ClientKeyExchange; its CertificateVerify after it (RFC 5246 §7.3). */
  private sendClientCertificate12(): SignatureSchemeName | undefined {
    const scheme = this.clientCertificateScheme('1.2');
    const chain = scheme ? this.config.credentials!.chain : [];
    this.sendHandshake(
      writeCertificate({ requestContext: new Uint8Array(0), chain }, true),
      chain.length ? 'Certificate' : 'Certificate (empty)',
    );
    this.sentCertificate = !!scheme;
    return scheme;
  }

  private async onServerFinished12(m: HandshakeMessage): Promise<Field[]> {
    const parsed = readFinished(m, true);
    const expected = this.ks12!.verifyData(this.master!, 'server', this.transcriptHash(this.suite!.hash));
    if (!equalBytes(expected, parsed.value)) {
      throw fail('decrypt_error', `the ${this.peer}'s Finished does not match: the handshake was altered on the way`);
    }
    this.transcript.push(m.bytes);
    this.step = 'done';
    this.finish('1.2');
    return parsed.fields;
  }

  private finish(version: TlsVersion): void {
    const suite = this.suite!;
    const keyExchange =
      version === '1.3'
        ? (this.shares.find((s) => NAMED_GROUP[s.group] === this.serverHello!.extensions.keyShare?.group)?.group ??
          'unknown')
        : suite.keyExchange === 'rsa'
          ? 'rsa'
          : (groupName(this.serverKx!.params.group) ?? 'unknown');
    this.connected({
      version,
      cipherSuite: suite.name,
      keyExchange,
      ...(this.schemeUsed ? { signatureScheme: this.schemeUsed } : {}),
      ...(this.config.serverName ? { serverName: this.config.serverName } : {}),
      clientAuthenticated: this.sentCertificate,
      peerCertificates: this.peerChain,
      ...(version === '1.2' ? { extendedMasterSecret: this.ems } : {}),
      forwardSecrecy: forwardSecret(suite),
    });
  }
}
