/**
 * The TLS secrets a capture can be decrypted with, by ClientHello.random: the
 * lines of an NSS key log (draft-ietf-tls-keylogfile §3) given beside the
 * capture, or carried inside it in a pcapng Decryption Secrets Block
 * (draft-ietf-opsawg-pcapng §4.7). TLS 1.2 logs the master secret
 * (CLIENT_RANDOM, RFC 5246 §8.1 or RFC 7627 §4: the line is the same either
 * way); TLS 1.3 logs each traffic secret (RFC 8446 §7.1).
 *
 * Lines that are not key log lines are skipped, as Wireshark skips them, and
 * counted with the first few reasons, so a key log with some garbage still
 * decrypts what its good lines cover and says what it skipped.
 */
import { toHex } from '../wire/bytes';
import type { ParseError } from '../wire/parse-error';
import { keyLogLine, scanKeyLog, type KeyLogLabel } from '../tls/key-log';
import { fromHex } from '../wire/bytes';

export interface LoggedSecret {
  label: KeyLogLabel;
  secret: Uint8Array;
  /** Where the line came from, for the sentences: `the key log`, `the capture's Decryption Secrets Block`. */
  source: string;
}

/** How many skipped lines are kept with their reasons. */
const PROBLEMS_KEPT = 5;

export class KeyLogSecrets {
  private readonly byRandom = new Map<string, Map<KeyLogLabel, LoggedSecret>>();
  /** The first lines skipped, with why. */
  readonly problems: ParseError[] = [];
  skipped = 0;
  count = 0;

  /** Adds the lines of a key log; returns how many were good. */
  add(text: string, source: string): number {
    const { entries, problems } = scanKeyLog(text);
    this.skipped += problems.length;
    for (const p of problems) if (this.problems.length < PROBLEMS_KEPT) this.problems.push(p);
    for (const e of entries) {
      const random = toHex(e.clientRandom);
      let labels = this.byRandom.get(random);
      if (!labels) this.byRandom.set(random, (labels = new Map()));
      if (!labels.has(e.label)) this.count++;
      labels.set(e.label, { label: e.label, secret: e.secret, source });
    }
    return entries.length;
  }

  find(clientRandom: Uint8Array, label: KeyLogLabel): LoggedSecret | undefined {
    return this.byRandom.get(toHex(clientRandom))?.get(label);
  }

  /** The secrets as an NSS key log, one line each: what a capture of these connections decrypts with. */
  text(): string {
    let out = '';
    for (const [random, labels] of this.byRandom) {
      for (const s of labels.values()) out += `${keyLogLine(s.label, fromHex(random), s.secret)}\n`;
    }
    return out;
  }

  /** Whether any line names this connection's ClientHello.random. */
  knows(clientRandom: Uint8Array): boolean {
    return this.byRandom.has(toHex(clientRandom));
  }
}
