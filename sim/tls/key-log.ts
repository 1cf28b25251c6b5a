/**
 * The NSS key log format, which Wireshark, tshark and curl read and OpenSSL
 * and browsers write (SSLKEYLOGFILE): one line per secret, a label, the
 * ClientHello.random in hex, and the secret in hex.
 *
 * - TLS 1.2: `CLIENT_RANDOM <client_random> <master_secret>`.
 * - TLS 1.3: `CLIENT_HANDSHAKE_TRAFFIC_SECRET`, `SERVER_HANDSHAKE_TRAFFIC_SECRET`,
 *   `CLIENT_TRAFFIC_SECRET_0`, `SERVER_TRAFFIC_SECRET_0` (and `EXPORTER_SECRET`).
 *
 * Anyone holding these lines decrypts the session: a key log is a debugging
 * tool and as sensitive as the keys themselves.
 */
import { toHex } from '../wire/bytes';

export type KeyLogLabel =
  | 'CLIENT_RANDOM'
  | 'CLIENT_HANDSHAKE_TRAFFIC_SECRET'
  | 'SERVER_HANDSHAKE_TRAFFIC_SECRET'
  | 'CLIENT_TRAFFIC_SECRET_0'
  | 'SERVER_TRAFFIC_SECRET_0'
  | 'EXPORTER_SECRET';

export function keyLogLine(label: KeyLogLabel, clientRandom: Uint8Array, secret: Uint8Array): string {
  return `${label} ${toHex(clientRandom)} ${toHex(secret)}`;
}

/** Parses key log text into its lines, skipping comments and blank lines; undefined for a malformed line. */
export function parseKeyLog(text: string): Array<{ label: string; clientRandom: string; secret: string }> | undefined {
  const out: Array<{ label: string; clientRandom: string; secret: string }> = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Z_0-9]+) ([0-9a-fA-F]{64}) ([0-9a-fA-F]+)$/.exec(line);
    if (!m) return undefined;
    out.push({ label: m[1], clientRandom: m[2].toLowerCase(), secret: m[3].toLowerCase() });
  }
  return out;
}
