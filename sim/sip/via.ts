/**
 * The Via header field (RFC 3261 §20.42, §18.2.1; grammar §25.1): the path a
 * request took, hop by hop, and so the path its responses take back.
 *
 *   via-parm      = sent-protocol LWS sent-by *( SEMI via-params )
 *   sent-protocol = protocol-name SLASH protocol-version SLASH transport
 *   sent-by       = host [ COLON port ]
 *
 * On a secure trunk the transport is `TLS`: the response comes back over the
 * same TLS connection. The branch starts with the magic cookie `z9hG4bK`
 * (RFC 3261 §8.1.1.7) so transactions can be matched by it.
 */
import { formatParams, scanParams, type HeaderParam } from './address';
import { DIGIT, Scanner } from './scanner';
import { isIpv4Address, isIpv6Address, scanHost } from './uri';

export interface Via {
  protocol: string;
  version: string;
  /** `UDP`, `TCP`, `TLS`, `SCTP` or another token (RFC 4475 §3.1.1.10). */
  transport: string;
  host: string;
  port?: number;
  params: HeaderParam[];
}

/** RFC 3261 §8.1.1.7: branches that begin with this were made by an RFC 3261 element. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

export function scanVia(sc: Scanner): Via[] {
  const list: Via[] = [];
  do {
    sc.sws();
    const protoStart = sc.at;
    const protocol = sc.token('a protocol name (SIP)');
    if (!sc.separator('/')) sc.fail(`expected "/" after the protocol name, found ${sc.describeHere()}`);
    const version = sc.token('a protocol version');
    if (!sc.separator('/')) sc.fail(`expected "/" after the protocol version, found ${sc.describeHere()}`);
    const transport = sc.token('a transport (UDP, TCP, TLS, SCTP)');
    sc.mark(
      {
        name: 'sent-protocol',
        value: `${protocol}/${version}/${transport}`,
        note:
          transport.toUpperCase() === 'TLS'
            ? 'TLS: this hop is encrypted, and the response returns over the same connection.'
            : `${transport.toUpperCase()}: this hop is not TLS, so it is readable on the path.`,
        spec: 'RFC 3261 §18.2.1',
      },
      protoStart,
    );
    sc.lws('between the transport and the sent-by address');
    const byStart = sc.at;
    const host = scanHost(sc);
    let port: number | undefined;
    if (sc.separator(':')) {
      const portStart = sc.at;
      const digits = sc.take(DIGIT, 'a port number');
      if (digits.length > 5 || Number(digits) > 65535) sc.fail('port must be a number from 0 to 65535', portStart);
      port = Number(digits);
    }
    sc.mark(
      {
        name: 'sent-by',
        value: port === undefined ? host : `${host}:${port}`,
        note: 'Where the sender wants responses sent.',
        spec: 'RFC 3261 §18.2.1',
      },
      byStart,
    );
    const params = scanParams(sc, (p) => describeViaParam(p));
    for (const p of params) checkViaParam(sc, p);
    list.push({ protocol, version, transport, host, port, params });
  } while (sc.separator(','));
  sc.expectEnd('the Via value');
  return list;
}

function describeViaParam(p: HeaderParam): { note?: string; spec?: string } {
  switch (p.name.toLowerCase()) {
    case 'branch':
      return p.value?.startsWith(BRANCH_MAGIC_COOKIE) && p.value.length > BRANCH_MAGIC_COOKIE.length
        ? { note: 'Names the transaction; z9hG4bK marks an RFC 3261 branch.', spec: 'RFC 3261 §8.1.1.7' }
        : { note: 'A branch without the z9hG4bK cookie: an RFC 2543 element.', spec: 'RFC 3261 §17.2.3' };
    case 'received':
      return { note: 'The address the request really came from.', spec: 'RFC 3261 §18.2.1' };
    case 'rport':
      return { note: 'Asks for the response on the source port (NAT).', spec: 'RFC 3581 §3' };
    default:
      return { spec: 'RFC 3261 §20.42' };
  }
}

function checkViaParam(sc: Scanner, p: HeaderParam): void {
  const name = p.name.toLowerCase();
  if (name === 'received' && !(p.value && (isIpv4Address(p.value) || isIpv6Address(p.value)))) {
    sc.fail('received= must be an IP address (RFC 3261 §25.1 via-received)');
  }
  if (name === 'branch' && (p.value === undefined || p.quoted)) sc.fail('branch= needs a token value');
  if (name === 'ttl' && !(p.value && /^\d{1,3}$/.test(p.value) && Number(p.value) <= 255)) {
    sc.fail('ttl= must be 0 to 255');
  }
}

export function formatVia(v: Via): string {
  const by = v.port === undefined ? v.host : `${v.host}:${v.port}`;
  return `${v.protocol}/${v.version}/${v.transport} ${by}${formatParams(v.params)}`;
}

export function viaBranch(v: Via): string | undefined {
  return v.params.find((p) => p.name.toLowerCase() === 'branch')?.value;
}
