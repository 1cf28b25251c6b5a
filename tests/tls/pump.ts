/** Runs a client and a server against each other in memory, passing bytes until both fall silent. */
import { concatBytes } from '../../sim/wire';
import type { TlsEndpoint } from '../../sim/tls/endpoint';
import type { TlsOutput } from '../../sim/tls/output';

export interface Exchange {
  client: TlsOutput[];
  server: TlsOutput[];
}

export async function pump(client: TlsEndpoint, server: TlsEndpoint, first?: TlsOutput): Promise<Exchange> {
  const log: Exchange = { client: [], server: [] };
  const start = first ?? (await client.start());
  log.client.push(start);
  let toServer = start.bytes;
  let toClient: Uint8Array = new Uint8Array(0);
  for (let round = 0; round < 50 && (toServer.length > 0 || toClient.length > 0); round++) {
    if (toServer.length > 0) {
      const out = await server.receive(toServer);
      log.server.push(out);
      toServer = new Uint8Array(0);
      toClient = concatBytes(toClient, out.bytes);
    }
    if (toClient.length > 0) {
      const out = await client.receive(toClient);
      log.client.push(out);
      toClient = new Uint8Array(0);
      toServer = concatBytes(toServer, out.bytes);
    }
  }
  return log;
}

export function events(outputs: TlsOutput[]) {
  return outputs.flatMap((o) => o.events);
}

export function records(outputs: TlsOutput[]) {
  return outputs.flatMap((o) => o.records);
}
