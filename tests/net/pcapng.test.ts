import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { checkCoverage, utf8 } from '../../sim/wire';
import { writePacket } from '../../sim/net/packet';
import { LINKTYPE_IPV4, writePcapng } from '../../sim/net/pcapng-writer';
import { readKeyLog, writeKeyLog, keyLogLabel } from '../../sim/tls/key-log';
import { capinfos, editcap, scratchDir, tsharkFields, writeScratch } from './tshark';

const start = Date.parse('2026-11-26T09:00:00Z');

function udp(i: number, text: string) {
  return writePacket({
    transport: 'udp',
    src: { ip: '203.0.113.10', port: 5060 },
    dst: { ip: '198.51.100.20', port: 5060 },
    ipId: i,
    payload: { bytes: utf8(text), fields: [{ name: 'Data', start: 0, end: text.length }] },
  });
}

const packets = [
  { timeMs: start, bytes: udp(1, 'one').bytes, comment: 'PBX → SBC: first' },
  { timeMs: start + 12.345, bytes: udp(2, 'second').bytes, fields: udp(2, 'second').fields },
  { timeMs: start + 1000, bytes: udp(3, 'the third, longer').bytes },
];

const keyLog = writeKeyLog(
  [
    { label: 'CLIENT_RANDOM', clientRandom: new Uint8Array(32).fill(0xaa), secret: new Uint8Array(48).fill(0x5c) },
    {
      label: 'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      clientRandom: new Uint8Array(32).fill(0xbb),
      secret: new Uint8Array(32).fill(0x01),
    },
  ],
  'Secure Trunk Lab test',
);

describe('pcapng writer', () => {
  it('writes a file tshark reads: link type, virtual-clock timestamps, lengths, comments', () => {
    const file = writeScratch(scratchDir(), 'three.pcapng', writePcapng(packets).bytes);
    const rows = tsharkFields(file, ['frame.number', 'frame.time_epoch', 'frame.len', 'udp.length', 'frame.comment']);
    expect(rows.map((r) => r[0])).toEqual(['1', '2', '3']);
    expect(rows.map((r) => Number(r[1]))).toEqual([start / 1000, (start + 12.345) / 1000, (start + 1000) / 1000]);
    // Microsecond resolution: the second packet's time survives to the microsecond.
    expect(rows[1][1]).toMatch(/\.012345/);
    expect(rows.map((r) => Number(r[2]))).toEqual(packets.map((p) => p.bytes.length));
    expect(rows[0][4]).toBe('PBX → SBC: first');
    // Link type 228 is LINKTYPE_IPV4, which the Wireshark tools call "Raw IPv4".
    expect(LINKTYPE_IPV4).toBe(228);
    expect(capinfos(['-E', file])).toMatch(/File encapsulation:\s+Raw IPv4/);
  });

  it('explains every byte of the file, packet headers included where given', () => {
    const file = writePcapng(packets, { tlsKeyLog: keyLog, interfaceDescription: 'virtual wire' });
    expect(checkCoverage(file.bytes.length, file.fields)).toEqual({ unexplained: [], misplaced: [] });
    expect(file.fields.map((f) => f.name)).toEqual([
      'Section Header Block',
      'Decryption Secrets Block',
      'Interface Description Block',
      'Enhanced Packet Block',
      'Enhanced Packet Block',
      'Enhanced Packet Block',
    ]);
    const epb = file.fields[4];
    expect(JSON.stringify(epb)).toContain('"UDP"');
    // Every block's two length fields agree and are a multiple of 4 (§3.1).
    const view = new DataView(file.bytes.buffer);
    for (const b of file.fields) {
      const total = view.getUint32(b.start + 4, true);
      expect(total).toBe(b.end - b.start);
      expect(view.getUint32(b.end - 4, true)).toBe(total);
      expect(total % 4).toBe(0);
    }
  });

  it('writes the Decryption Secrets Block byte for byte as editcap --inject-secrets does', () => {
    const dir = scratchDir();
    const plain = writeScratch(dir, 'plain.pcapng', writePcapng(packets).bytes);
    const keys = writeScratch(dir, 'keys.txt', keyLog);
    const injected = `${dir}/injected.pcapng`;
    editcap(['--inject-secrets', `tls,${keys}`, plain, injected]);
    const ours = writePcapng(packets, { tlsKeyLog: keyLog }).bytes;
    expect(Buffer.from(ours).equals(readFileSync(injected))).toBe(true);
  });

  it('gives tshark the secrets it embeds', () => {
    const file = writeScratch(scratchDir(), 'dsb.pcapng', writePcapng(packets, { tlsKeyLog: keyLog }).bytes);
    // tshark lists a file's embedded TLS secrets with --export-tls-session-keys; it must read them back unchanged.
    const dir = scratchDir();
    tsharkFields(file, ['frame.number'], ['--export-tls-session-keys', `${dir}/out.keys`]);
    const exported = readKeyLog(readFileSync(`${dir}/out.keys`, 'utf8'));
    expect(exported).toContainEqual(readKeyLog(keyLog)[0]);
  });
});

describe('NSS key log', () => {
  it('writes one line per secret and reads it back', () => {
    const lines = keyLog.trimEnd().split('\n');
    expect(lines[0]).toBe('# Secure Trunk Lab test');
    expect(lines[1]).toBe(`CLIENT_RANDOM ${'aa'.repeat(32)} ${'5c'.repeat(48)}`);
    const entries = readKeyLog(keyLog);
    expect(entries.map((e) => e.label)).toEqual(['CLIENT_RANDOM', 'CLIENT_HANDSHAKE_TRAFFIC_SECRET']);
    expect(entries[1].secret).toEqual(new Uint8Array(32).fill(1));
  });

  it('maps the RFC names of secrets to their labels', () => {
    expect(keyLogLabel('master_secret')).toBe('CLIENT_RANDOM');
    expect(keyLogLabel('client_application_traffic_secret_0')).toBe('CLIENT_TRAFFIC_SECRET_0');
    expect(keyLogLabel('exporter_master_secret')).toBe('EXPORTER_SECRET');
    expect(keyLogLabel('client_write_key')).toBeUndefined();
  });

  it('refuses lines that are not key log lines, saying which', () => {
    expect(() => readKeyLog('CLIENT_RANDOM abc def\n')).toThrow(/line 1.*64 hex/);
    expect(() => readKeyLog(`# ok\nBOGUS ${'00'.repeat(32)} ${'00'.repeat(48)}\n`)).toThrow(/line 2.*unknown label/);
    expect(() =>
      writeKeyLog([{ label: 'CLIENT_RANDOM', clientRandom: new Uint8Array(32), secret: new Uint8Array(32) }]),
    ).toThrow(/48 bytes/);
  });
});
