/**
 * The capture commands of the troubleshooting article, run as shown: a lab
 * run written as a pcapng with its TLS secrets embedded (a Decryption
 * Secrets Block) and an NSS key log, then read with tshark, which must find
 * the SIP inside the TLS only because of those secrets, and name the alert
 * that ended a failing handshake (RFC 8446 §6.2: unknown_ca is 48).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureCommands } from '../../site/components/docs/troubleshooting-commands';

const TRUNKLAB = fileURLToPath(new URL('../../bin/trunklab.js', import.meta.url));

let dir: string;

/**
 * The same capture without its Decryption Secrets Blocks (pcapng block type
 * 0x0000000A, draft-ietf-opsawg-pcapng §4.7): a capture as it would come from
 * a PBX or a tap, which tshark can only decrypt with a key log beside it.
 */
function withoutSecrets(pcapng: Uint8Array): Uint8Array {
  const view = new DataView(pcapng.buffer, pcapng.byteOffset, pcapng.byteLength);
  // The Section Header Block's byte-order magic says how to read every length.
  const little = view.getUint32(8, true) === 0x1a2b3c4d;
  const kept: Uint8Array[] = [];
  for (let at = 0; at < pcapng.length;) {
    const type = view.getUint32(at, little);
    const length = view.getUint32(at + 4, little);
    if (type !== 0x0000000a) kept.push(pcapng.subarray(at, at + length));
    at += length;
  }
  return Buffer.concat(kept);
}

function shell(command: string) {
  const r = spawnSync('sh', ['-c', command], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('reading a lab run with tshark, as the article shows', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trunklab-captures-'));
    shell(
      `mkdir bin && printf '#!/bin/sh\\nexec "%s" "%s" "$@"\\n' "${process.execPath}" "${TRUNKLAB}" > bin/trunklab && chmod 755 bin/trunklab`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the capture and the key log', () => {
    const c = captureCommands('secure-call');
    const r = shell(c.runWithCapture);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'secure-call.pcapng'))).toBe(true);
    expect(existsSync(join(dir, 'secure-call.keys'))).toBe(true);
  });

  it('shows the SIP inside the TLS from the secrets embedded in the pcapng', () => {
    const r = shell(captureCommands('secure-call').sipLadder);
    expect(r.status, r.stderr).toBe(0);
    for (const line of ['REGISTER sip:', 'SIP/2.0 401 Unauthorized', 'INVITE sip:', 'SIP/2.0 200 OK', 'BYE sip:']) {
      expect(r.stdout).toContain(line);
    }
  });

  it('needs the key log once the secrets are stripped, and reads the SIP with it', () => {
    const c = captureCommands('secure-call');
    writeFileSync(join(dir, 'trunk.pcapng'), withoutSecrets(readFileSync(join(dir, 'secure-call.pcapng'))));
    const without = shell('tshark -r trunk.pcapng -Y sip -T fields -e sip.Request-Line');
    expect(without.stdout.trim()).toBe('');
    const withKeylog = shell(c.sipLadderWithKeylog('trunk.pcapng'));
    expect(withKeylog.status, withKeylog.stderr).toBe(0);
    expect(withKeylog.stdout).toContain('REGISTER sip:');
    expect(withKeylog.stdout).toContain('INVITE sip:');
  });

  it("names the alert that ended a man in the middle's handshake", () => {
    const c = captureCommands('mitm-self-signed');
    expect(shell(c.runWithCapture).status).toBe(1);
    const r = shell(c.alerts);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\t48\b/);
  });
});
