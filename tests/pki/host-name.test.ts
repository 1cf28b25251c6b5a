/** RFC 6125 §6.4 name matching and IP address parsing (sim/pki/host-name.ts). */
import { describe, expect, it } from 'vitest';
import { dnsNameMatches, parseIpAddress } from '../../sim/pki/host-name';
import { toHex } from '../../sim/wire/bytes';

describe('dnsNameMatches (RFC 6125 §6.4.1–§6.4.3)', () => {
  it.each([
    ['sbc1.trunks.example', 'sbc1.trunks.example', true],
    ['SBC1.Trunks.Example', 'sbc1.trunks.example', true],
    ['sbc1.trunks.example.', 'sbc1.trunks.example', true],
    ['sbc1.trunks.example', 'sbc1.trunks.example.', true],
    ['*.trunks.example', 'sbc1.trunks.example', true],
    ['*.trunks.example', 'a.sbc1.trunks.example', false],
    ['*.trunks.example', 'trunks.example', false],
    ['*.trunks.example', '.trunks.example', false],
    ['*.example', 'trunks.example', false],
    ['sbc*.trunks.example', 'sbc1.trunks.example', false],
    ['*sbc.trunks.example', 'xsbc.trunks.example', false],
    ['sbc1.*.example', 'sbc1.trunks.example', false],
    ['*.*.example', 'a.b.example', false],
    ['sbc1.trunks.example', 'sbc2.trunks.example', false],
    ['', 'sbc1.trunks.example', false],
  ])('%s against %s: %s', (pattern, host, expected) => {
    expect(dnsNameMatches(pattern, host)).toBe(expected);
  });
});

describe('parseIpAddress (RFC 791, RFC 4291 §2.2)', () => {
  it.each([
    ['198.51.100.20', 'c6336414'],
    ['2001:db8::10', '20010db8000000000000000000000010'],
    ['2001:DB8:0:0:0:0:0:10', '20010db8000000000000000000000010'],
    ['[2001:db8::10]', '20010db8000000000000000000000010'],
    ['::1', '00000000000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201'],
  ])('%s', (text, hex) => {
    expect(toHex(parseIpAddress(text)!)).toBe(hex);
  });

  it.each([
    '256.1.1.1',
    '1.2.3',
    'sbc1.trunks.example',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '12345::',
    'g::1',
    '1:2:3:4:5:6:7',
  ])('%s is not an address', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });
});
