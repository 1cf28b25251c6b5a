/**
 * "Record now, decrypt later": what an attacker who recorded a TLS session
 * can do once it obtains the server's private key (stolen, subpoenaed, or
 * from a decommissioned SBC's disk).
 *
 * With TLS 1.2's static-RSA key exchange (RFC 5246 §7.4.7.1) the client
 * encrypted the premaster secret to the certificate's key, so:
 * 1. find ClientHello, ServerHello and ClientKeyExchange in the recording;
 * 2. RSAES-PKCS1-v1_5-Decrypt the EncryptedPreMasterSecret with the key;
 * 3. derive master_secret (RFC 5246 §8.1, or RFC 7627 §4 with the handshake hash);
 * 4. derive the key block (§6.3) and open every record after each side's
 *    ChangeCipherSpec; the client's Finished checking out proves the key was right.
 *
 * With ECDHE (TLS 1.2 ECDHE suites, and all of TLS 1.3) the premaster secret
 * came from ephemeral key shares that were never stored: the certificate key
 * only signed, and the attempt fails with reason `forward_secrecy`.
 */
import type { PrivateKey } from '../pki/keys';
import { rsaPkcs1Decrypt } from '../crypto/rsa';
import { LiveRandom } from '../crypto/random';
import { concatBytes, equalBytes } from '../wire/bytes';
import { CONTENT_TYPE, HANDSHAKE_TYPE, describeVersion } from './codepoints';
import { suiteByCode, type CipherSuiteName } from './cipher-suites';
import { HandshakeReassembler, type HandshakeMessage } from './handshake';
import { Tls12KeySchedule } from './key-schedule-12';
import type { KeyDerivation } from './key-derivation';
import { readClientHello, readServerHello } from './messages/hello';
import { readClientKeyExchange } from './messages/key-exchange-12';
import { readFinished } from './messages/finished';
import { RecordSplitter, type RawRecord } from './record';
import { TlsFailure } from './alert';
import { tls12Ciphers } from './traffic-ciphers';
import { hash as digest } from '../crypto/hash';

/** The two byte streams of one TCP connection, as a tap recorded them. */
export interface RecordedConnection {
  clientToServer: Uint8Array;
  serverToClient: Uint8Array;
}

export interface DecryptedRecord {
  from: 'client' | 'server';
  contentType: number;
  plaintext: Uint8Array;
}

export type RecordedSessionResult =
  | {
      ok: true;
      version: 'TLS 1.2';
      cipherSuite: CipherSuiteName;
      keys: KeyDerivation[];
      /** Every protected record opened, in each direction's order. */
      records: DecryptedRecord[];
      /** The application data (SIP) each side sent. */
      applicationData: { client: Uint8Array[]; server: Uint8Array[] };
    }
  | {
      ok: false;
      /**
       * `forward_secrecy`: the key exchange was ephemeral (ECDHE or TLS 1.3), so the key cannot help;
       * `wrong_key`: the key does not decrypt this session; `incomplete`: the recording lacks the handshake;
       * `not_tls`: the bytes are not TLS.
       */
      reason: 'forward_secrecy' | 'wrong_key' | 'incomplete' | 'not_tls';
      detail: string;
    };

function split(stream: Uint8Array): RawRecord[] {
  const s = new RecordSplitter();
  s.push(stream);
  const out: RawRecord[] = [];
  for (let r = s.next(); r; r = s.next()) out.push(r);
  return out;
}

/** Handshake messages sent in clear, up to the sender's ChangeCipherSpec; and the protected records after it. */
function cut(records: RawRecord[]): { clear: HandshakeMessage[]; protectedRecords: RawRecord[] } {
  const clear: HandshakeMessage[] = [];
  const h = new HandshakeReassembler();
  let i = 0;
  for (; i < records.length; i++) {
    const r = records[i];
    if (r.type === CONTENT_TYPE.change_cipher_spec) {
      i++;
      break;
    }
    if (r.type !== CONTENT_TYPE.handshake) continue;
    h.push(r.fragment);
    for (let m = h.next(); m; m = h.next()) clear.push(m);
  }
  return { clear, protectedRecords: records.slice(i) };
}

export async function decryptRecordedSession(
  recording: RecordedConnection,
  serverKey: PrivateKey,
): Promise<RecordedSessionResult> {
  let client: ReturnType<typeof cut>;
  let server: ReturnType<typeof cut>;
  try {
    client = cut(split(recording.clientToServer));
    server = cut(split(recording.serverToClient));
  } catch (e) {
    if (e instanceof TlsFailure)
      return { ok: false, reason: 'not_tls', detail: `the recording is not a TLS stream: ${e.alert.reason}` };
    throw e;
  }
  const chMessage = client.clear.find((m) => m.type === HANDSHAKE_TYPE.client_hello);
  const shMessage = server.clear.find((m) => m.type === HANDSHAKE_TYPE.server_hello);
  if (!chMessage || !shMessage)
    return { ok: false, reason: 'incomplete', detail: 'the recording does not hold both ClientHello and ServerHello' };
  let ch;
  let sh;
  try {
    ch = readClientHello(chMessage).value;
    sh = readServerHello(shMessage).value;
  } catch (e) {
    if (e instanceof TlsFailure) return { ok: false, reason: 'not_tls', detail: e.alert.reason };
    throw e;
  }
  if (sh.extensions.selectedVersion === 0x0304) {
    return {
      ok: false,
      reason: 'forward_secrecy',
      detail:
        'TLS 1.3: the keys came from an ephemeral (EC)DHE exchange whose private keys were never stored; the certificate key only signed the handshake, so it cannot decrypt the recording',
    };
  }
  const suite = suiteByCode(sh.cipherSuite);
  if (!suite || suite.version !== '1.2') {
    return {
      ok: false,
      reason: 'incomplete',
      detail: `the session used ${describeVersion(sh.legacyVersion)} with a suite this engine does not know`,
    };
  }
  if (suite.keyExchange !== 'rsa') {
    return {
      ok: false,
      reason: 'forward_secrecy',
      detail: `${suite.name} uses ephemeral ECDHE: the premaster secret came from key shares thrown away after the handshake; the certificate key only signed ServerKeyExchange, so it cannot decrypt the recording`,
    };
  }
  if (serverKey.kind !== 'rsa')
    return { ok: false, reason: 'wrong_key', detail: "the RSA key exchange needs the server's RSA private key" };
  const ckeMessage = client.clear.find((m) => m.type === HANDSHAKE_TYPE.client_key_exchange);
  if (!ckeMessage) return { ok: false, reason: 'incomplete', detail: 'the recording has no ClientKeyExchange' };
  const cke = readClientKeyExchange(ckeMessage, 'rsa').value;
  if (cke.kind !== 'rsa') return { ok: false, reason: 'incomplete', detail: 'unexpected ClientKeyExchange' };

  const keys: KeyDerivation[] = [];
  const premaster = await rsaPkcs1Decrypt(serverKey.key, cke.encryptedPremaster);
  if (!premaster || premaster.length !== 48) {
    return {
      ok: false,
      reason: 'wrong_key',
      detail: 'the EncryptedPreMasterSecret does not decrypt with this key: it is not the key of the recorded server',
    };
  }
  keys.push({
    name: 'pre_master_secret',
    value: premaster,
    from: ['ClientKeyExchange', "the server's RSA private key"],
    how: 'RSAES-PKCS1-v1_5-Decrypt(server private key, EncryptedPreMasterSecret)',
    spec: 'RFC 5246 §7.4.7.1',
  });
  const ks = new Tls12KeySchedule(suite.hash, (k) => keys.push(k));
  const ems = !!ch.extensions.extendedMasterSecret && !!sh.extensions.extendedMasterSecret;
  // The handshake in 1.2's fixed order: ClientHello, the server's first flight, the client's messages through ClientKeyExchange.
  const clientUpToCke = client.clear.slice(1, client.clear.indexOf(ckeMessage) + 1);
  const transcript = [chMessage, ...server.clear, ...clientUpToCke].map((m) => m.bytes);
  const master = ks.masterSecret(
    premaster,
    'pre_master_secret',
    ems
      ? { extended: true, sessionHash: digest(suite.hash, concatBytes(...transcript)) }
      : { extended: false, clientRandom: ch.random, serverRandom: sh.random },
  );
  const ciphers = tls12Ciphers(suite, ks.keyBlock(master, ch.random, sh.random, suite.cipher), new LiveRandom());

  const records: DecryptedRecord[] = [];
  const applicationData = { client: [] as Uint8Array[], server: [] as Uint8Array[] };
  const open = (from: 'client' | 'server', list: RawRecord[]) => {
    const cipher = from === 'client' ? ciphers.client : ciphers.server;
    for (const r of list) {
      const opened = cipher.open(r);
      records.push({ from, contentType: opened.type, plaintext: opened.content });
      if (opened.type === CONTENT_TYPE.application_data) applicationData[from].push(opened.content);
    }
  };
  try {
    open('client', client.protectedRecords);
    open('server', server.protectedRecords);
  } catch (e) {
    if (e instanceof TlsFailure)
      return { ok: false, reason: 'wrong_key', detail: `the derived keys do not open the records (${e.alert.reason})` };
    throw e;
  }
  // The client's Finished, the first protected handshake record, proves the keys: PRF(master, "client finished", ...).
  const fin = records.find((r) => r.from === 'client' && r.contentType === CONTENT_TYPE.handshake);
  if (fin) {
    const h = new HandshakeReassembler();
    h.push(fin.plaintext);
    const m = h.next();
    const all = [chMessage, ...server.clear, ...client.clear.slice(1)].map((x) => x.bytes);
    const expected = ks.verifyData(master, 'client', digest(suite.hash, concatBytes(...all)));
    if (!m || !equalBytes(readFinished(m, true).value, expected)) {
      return {
        ok: false,
        reason: 'wrong_key',
        detail: "the client's Finished does not verify with the recovered master secret",
      };
    }
  }
  return { ok: true, version: 'TLS 1.2', cipherSuite: suite.name, keys, records, applicationData };
}
