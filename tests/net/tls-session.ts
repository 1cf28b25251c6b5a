/**
 * Glue for the tests: a TLS endpoint of the engine on a virtual TCP
 * connection, writing each record it sends with its field tree.
 */
import type { TlsEndpoint } from '../../sim/tls/endpoint';
import type { TlsOutput } from '../../sim/tls/output';
import type { TcpConnection } from '../../sim/net/tcp-connection';

export interface TlsOnTcp {
  /** Application data received, in order. */
  received: Uint8Array[];
  outputs: TlsOutput[];
}

export function sendRecords(conn: TcpConnection, out: TlsOutput): void {
  if (conn.state === 'CLOSED' || !conn.writable) return;
  for (const r of out.records) if (r.direction === 'sent') conn.write({ bytes: r.bytes, fields: r.fields });
}

/**
 * Runs `tls` over `conn`: a client starts its handshake when the connection
 * opens; incoming bytes go to the endpoint and its answers back out.
 * `onData` hears each piece of application data; the connection closes
 * when the endpoint fails or closes.
 */
export function runTls(
  conn: TcpConnection,
  tls: TlsEndpoint,
  options: { onConnected?: () => unknown; onData?: (d: Uint8Array) => unknown; start?: boolean } = {},
): TlsOnTcp {
  const session: TlsOnTcp = { received: [], outputs: [] };
  let connected = false;
  const handle = async (out: TlsOutput) => {
    session.outputs.push(out);
    sendRecords(conn, out);
    if (out.state === 'connected' && !connected) {
      connected = true;
      await options.onConnected?.();
    }
    for (const d of out.received) {
      session.received.push(d);
      await options.onData?.(d);
    }
    if (out.state === 'failed' || out.state === 'closed') conn.close();
  };
  if (options.start) conn.onOpen = async () => handle(await tls.start());
  conn.onData = async (d) => handle(await tls.receive(d));
  conn.onEnd = () => conn.close();
  return session;
}
