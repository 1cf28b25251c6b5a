/**
 * What an endpoint reports each time it is given bytes or asked to send:
 * the bytes to put on the wire, every record sent and received with the view
 * of an observer and of the endpoint, the events (keys derived, certificate
 * checks, alerts, notes) and the application data that arrived. The scenario
 * runner turns these into Timeline steps; `toStateEvent` makes the events
 * Timeline `StateEvent`s for a given party.
 */
import type { Field } from '../wire/field';
import type { DecodedLayer, Party, StateEvent } from '../timeline';
import { toHex } from '../wire/bytes';
import type { TlsAlert } from './alert';
import type { ContentTypeName, TlsVersion } from './codepoints';
import type { CipherSuiteName } from './cipher-suites';
import type { KeyDerivation } from './key-derivation';

export interface TlsRecordView {
  direction: 'sent' | 'received';
  /** The real content type: for a protected TLS 1.3 record, the one inside (the header says application_data). */
  contentType: ContentTypeName;
  /** Ladder label: `ClientHello`, `Certificate`, `Application Data`, `Alert (unknown_ca)`. */
  summary: string;
  /** The record's bytes on the wire. */
  bytes: Uint8Array;
  /** What anyone on the path can read: covers every byte of `bytes`. */
  fields: Field[];
  /** For a protected record, the plaintext the endpoints read. */
  decoded?: DecodedLayer;
  encrypted: boolean;
}

export interface CertificateVerdict {
  subject: string;
  valid: boolean;
  reason: string;
  detail: string;
  trace: Array<{ check: string; result: 'pass' | 'fail'; detail: string }>;
  /** The checker's clock when it checked, ISO 8601: the time the validity dates were compared with. */
  at: string;
}

export interface NegotiatedSession {
  version: TlsVersion;
  cipherSuite: CipherSuiteName;
  /** `x25519`, `secp256r1`, or `rsa` for the static-RSA key exchange. */
  keyExchange: string;
  signatureScheme?: string;
  serverName?: string;
  /**
   * Whether the client presented a certificate the server accepted. On the
   * server, and on a TLS 1.2 client (whose certificate the server judged before
   * its Finished), that is known here. A TLS 1.3 client sends its certificate
   * after the server's Finished (RFC 8446 §4.4.2.4), so on one this says only
   * that it sent a certificate and proved its key: an alert arriving later is
   * the server's refusal.
   */
  clientAuthenticated: boolean;
  /** DER certificates the peer presented, leaf first. */
  peerCertificates: Uint8Array[];
  extendedMasterSecret?: boolean;
  forwardSecrecy: boolean;
}

export type TlsEvent =
  | ({ kind: 'key' } & KeyDerivation)
  | ({ kind: 'certificate-check' } & CertificateVerdict)
  | { kind: 'alert'; direction: 'sent' | 'received'; alert: TlsAlert }
  | { kind: 'note'; text: string }
  | { kind: 'handshake-complete'; session: NegotiatedSession };

export type EndpointState = 'start' | 'handshaking' | 'connected' | 'closed' | 'failed';

export interface TlsOutput {
  /** Bytes to send to the peer, in order (every sent record's bytes, concatenated). */
  bytes: Uint8Array;
  /** Records sent and received, in the order they happened. */
  records: TlsRecordView[];
  events: TlsEvent[];
  /** Application data that arrived, in order. */
  received: Uint8Array[];
  state: EndpointState;
}

/** A TLS event as a Timeline state event of `party` (alerts and completions become notes). */
export function toStateEvent(e: TlsEvent, party: Party): StateEvent {
  switch (e.kind) {
    case 'key':
      return { kind: 'key', party, name: e.name, value: toHex(e.value), from: e.from, how: e.how, spec: e.spec };
    case 'certificate-check':
      return {
        kind: 'certificate-check',
        party,
        subject: e.subject,
        valid: e.valid,
        reason: e.reason,
        detail: e.detail,
        trace: e.trace,
        at: e.at,
      };
    case 'alert':
      return {
        kind: 'note',
        party,
        text: `${e.direction === 'sent' ? 'Sent' : 'Received'} alert ${e.alert.name} (${e.alert.code}): ${e.alert.reason}`,
      };
    case 'handshake-complete':
      return {
        kind: 'note',
        party,
        text: `TLS ${e.session.version} established with ${e.session.cipherSuite} (${e.session.keyExchange})${e.session.clientAuthenticated ? ', client certificate accepted' : ''}.`,
      };
    case 'note':
      return { kind: 'note', party, text: e.text };
  }
}
