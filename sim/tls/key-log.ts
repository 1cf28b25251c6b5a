/**
 * The NSS key log (SSLKEYLOGFILE) format, draft-ietf-tls-keylogfile §3, which
 * Wireshark, tshark and curl read and OpenSSL and browsers write: one line per
 * secret, `<label> <client_random> <secret>`, the ClientHello.random and the
 * secret in hex. Lines starting with `#` are comments.
 *
 * Labels (§3.1, §3.2): TLS 1.2 logs its master secret as CLIENT_RANDOM; TLS
 * 1.3 logs each traffic secret under its own label.
 *
 * Anyone holding these lines decrypts the session: a key log is a debugging
 * tool and as sensitive as the keys themselves.
 */
import { fromHex, toHex } from '../wire/bytes';
import { ParseError } from '../wire/parse-error';

export const KEY_LOG_LABELS = [
  'CLIENT_RANDOM',
  'CLIENT_EARLY_TRAFFIC_SECRET',
  'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
  'SERVER_HANDSHAKE_TRAFFIC_SECRET',
  'CLIENT_TRAFFIC_SECRET_0',
  'SERVER_TRAFFIC_SECRET_0',
  'EARLY_EXPORTER_MASTER_SECRET',
  'EXPORTER_SECRET',
] as const;

export type KeyLogLabel = (typeof KEY_LOG_LABELS)[number];

export interface KeyLogEntry {
  label: KeyLogLabel;
  /** The 32-byte random from the ClientHello that identifies the connection. */
  clientRandom: Uint8Array;
  secret: Uint8Array;
}

/** One key log line, as an endpoint logs a secret the moment it derives it. */
export function keyLogLine(label: KeyLogLabel, clientRandom: Uint8Array, secret: Uint8Array): string {
  return `${label} ${toHex(clientRandom)} ${toHex(secret)}`;
}

/**
 * The label for a secret as RFC 8446 §7.1 and RFC 5246 §8.1 name it (the names
 * the TLS engine reports derivations under), or undefined for values the key
 * log does not carry.
 */
export function keyLogLabel(secretName: string): KeyLogLabel | undefined {
  const labels: Record<string, KeyLogLabel> = {
    master_secret: 'CLIENT_RANDOM',
    client_early_traffic_secret: 'CLIENT_EARLY_TRAFFIC_SECRET',
    client_handshake_traffic_secret: 'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
    server_handshake_traffic_secret: 'SERVER_HANDSHAKE_TRAFFIC_SECRET',
    client_application_traffic_secret_0: 'CLIENT_TRAFFIC_SECRET_0',
    server_application_traffic_secret_0: 'SERVER_TRAFFIC_SECRET_0',
    early_exporter_master_secret: 'EARLY_EXPORTER_MASTER_SECRET',
    exporter_master_secret: 'EXPORTER_SECRET',
  };
  return labels[secretName];
}

/** Secrets lengths the labels allow: a TLS 1.2 master secret is 48 bytes (RFC 5246 §8.1); TLS 1.3 secrets are a hash long. */
function checkEntry(e: KeyLogEntry): void {
  if (e.clientRandom.length !== 32) throw new RangeError(`client random is ${e.clientRandom.length} bytes, not 32`);
  if (e.label === 'CLIENT_RANDOM' && e.secret.length !== 48) {
    throw new RangeError(`a TLS 1.2 master secret is 48 bytes, not ${e.secret.length}`);
  }
  if (e.label !== 'CLIENT_RANDOM' && e.secret.length !== 32 && e.secret.length !== 48) {
    throw new RangeError(`${e.label} is ${e.secret.length} bytes; TLS 1.3 secrets are 32 or 48`);
  }
}

/** The key log's text, one line per entry, with an optional comment line first. */
export function writeKeyLog(entries: readonly KeyLogEntry[], comment?: string): string {
  const lines = comment ? comment.split('\n').map((l) => `# ${l}`) : [];
  for (const e of entries) {
    checkEntry(e);
    lines.push(keyLogLine(e.label, e.clientRandom, e.secret));
  }
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * Reads a key log as Wireshark does, line by line: comments and empty lines
 * are skipped, every good line is kept, and each line that is not
 * `<known label> <64 hex> <hex>` is reported as a `ParseError` whose offset
 * is the line's first character, without stopping the reading.
 */
export function scanKeyLog(text: string): { entries: KeyLogEntry[]; problems: ParseError[] } {
  const entries: KeyLogEntry[] = [];
  const problems: ParseError[] = [];
  let offset = 0;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    const start = offset;
    offset += raw.length + 1;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const read = readKeyLogLine(line, start, `key log line ${index + 1}`);
    if (read instanceof ParseError) problems.push(read);
    else entries.push(read);
  }
  return { entries, problems };
}

function readKeyLogLine(line: string, start: number, where: string): KeyLogEntry | ParseError {
  const parts = line.trim().split(/\s+/);
  if (parts.length !== 3) return new ParseError('invalid_value', `has ${parts.length} fields, not 3`, start, where);
  const [label, random, secret] = parts;
  if (!(KEY_LOG_LABELS as readonly string[]).includes(label)) {
    return new ParseError('unsupported', `unknown label ${JSON.stringify(label.slice(0, 40))}`, start, where);
  }
  if (!/^[0-9a-fA-F]{64}$/.test(random)) {
    return new ParseError('invalid_value', 'client random is not 64 hex digits', start, where);
  }
  if (!/^(?:[0-9a-fA-F]{2}){16,64}$/.test(secret)) {
    return new ParseError('invalid_value', 'secret is not 16 to 64 bytes of hex', start, where);
  }
  return { label: label as KeyLogLabel, clientRandom: fromHex(random), secret: fromHex(secret) };
}

/**
 * Reads a key log strictly: comments and empty lines are skipped; any other
 * line that is not `<known label> <64 hex> <hex>` is a `ParseError` whose
 * offset is the line's first character.
 */
export function readKeyLog(text: string): KeyLogEntry[] {
  const { entries, problems } = scanKeyLog(text);
  if (problems.length > 0) throw problems[0];
  return entries;
}

/**
 * A key log file from lines endpoints logged (the TLS engine keeps its own as
 * `keyLog`), each checked, with an optional comment first.
 */
export function keyLogFile(lines: readonly string[], comment?: string): string {
  const text = lines.map((l) => `${l}\n`).join('');
  return writeKeyLog(readKeyLog(text), comment);
}
