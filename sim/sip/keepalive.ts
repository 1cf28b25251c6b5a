/**
 * CRLF keepalives on a connection-oriented SIP flow (RFC 5626 §3.5.1,
 * §4.4.1): the client sends a double CRLF, the "ping"; the server answers
 * with a single CRLF, the "pong". Between SIP messages, CRLFs are not a
 * message (RFC 3261 §7.5), so a server that does not know the mechanism
 * ignores them; one that does answers, which tells the client the flow is
 * alive, and the traffic keeps NAT and firewall state fresh on the way.
 */
import { ByteWriter } from '../wire/writer';
import type { Encoded } from '../net/ipv4';

export type KeepaliveKind = 'ping' | 'pong';

const SPEC = 'RFC 5626 §3.5.1';

export function writeKeepalive(kind: KeepaliveKind): Encoded {
  const w = new ByteWriter(4);
  const done = w.group({
    name: kind === 'ping' ? 'CRLF keepalive ping' : 'CRLF keepalive pong',
    layer: 'sip',
    spec: SPEC,
    note:
      kind === 'ping'
        ? 'A double CRLF between SIP messages: is the flow still alive? The traffic also refreshes every NAT and firewall on the way.'
        : 'A single CRLF: the server’s answer to the ping, so the client knows the flow works both ways.',
  });
  w.bytes(kind === 'ping' ? Uint8Array.of(13, 10, 13, 10) : Uint8Array.of(13, 10), {
    name: kind === 'ping' ? 'CRLF CRLF' : 'CRLF',
    value: kind === 'ping' ? '\\r\\n\\r\\n' : '\\r\\n',
    spec: SPEC,
  });
  done();
  return w.finish();
}
