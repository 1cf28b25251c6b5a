/**
 * Dialogs (RFC 3261 §12): the peer-to-peer relationship an INVITE sets up,
 * identified by Call-ID, local tag and remote tag, and the state later
 * requests in it (ACK, BYE) are built from: the remote target (the peer's
 * Contact), the route set (Record-Route, RFC 3261 §12.1.2) and the local
 * CSeq, which goes up by one for every new request (§12.2.1.1).
 */
import { formatNameAddress, type NameAddress } from './address';
import type { SipHeader, SipRequest } from './message';
import { withContentLength } from './message';
import { formatUri } from './uri';

export interface Dialog {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** The From (UAC) or To (UAS) address of this side, without tag. */
  localAddress: NameAddress;
  remoteAddress: NameAddress;
  /** Where in-dialog requests go: the peer's Contact URI (RFC 3261 §12.1.2). */
  remoteTarget: string;
  /** Record-Route entries in the order requests must take (reversed at the UAC). */
  routeSet: string[];
  localSeq: number;
  remoteSeq?: number;
  state: 'early' | 'confirmed' | 'terminated';
}

const withTag = (a: NameAddress, tag: string): string =>
  formatNameAddress({
    ...a,
    params: [...a.params.filter((p) => p.name.toLowerCase() !== 'tag'), { name: 'tag', value: tag }],
  });

/**
 * A request inside the dialog (RFC 3261 §12.2.1.1). `cseq` overrides the
 * next number, as ACK for a 2xx reuses the INVITE's (§13.2.2.4).
 */
export function inDialogRequest(
  d: Dialog,
  method: string,
  via: SipHeader,
  extra: SipHeader[] = [],
  options: { cseq?: number; body?: Uint8Array } = {},
): SipRequest {
  const seq = options.cseq ?? ++d.localSeq;
  return withContentLength<SipRequest>({
    kind: 'request',
    method,
    uri: d.remoteTarget,
    headers: [
      via,
      { name: 'Max-Forwards', value: '70' },
      ...d.routeSet.map((r) => ({ name: 'Route', value: r })),
      { name: 'From', value: withTag(d.localAddress, d.localTag) },
      { name: 'To', value: withTag(d.remoteAddress, d.remoteTag) },
      { name: 'Call-ID', value: d.callId },
      { name: 'CSeq', value: `${seq} ${method}` },
      ...extra,
    ],
    body: options.body ?? new Uint8Array(0),
  });
}

/** An address without its tag, for storing in a dialog. */
export function untagged(a: NameAddress): NameAddress {
  return { ...a, params: a.params.filter((p) => p.name.toLowerCase() !== 'tag') };
}

/** The tag parameter of an address, if any. */
export function tagOf(a: NameAddress): string | undefined {
  return a.params.find((p) => p.name.toLowerCase() === 'tag')?.value;
}

/** The remote target of a Contact list: the first contact's URI. */
export function contactTarget(contacts: NameAddress[] | '*' | undefined): string | undefined {
  return Array.isArray(contacts) && contacts.length ? formatUri(contacts[0].uri) : undefined;
}
