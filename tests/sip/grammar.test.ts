/**
 * Grammar cases written for the lab, in the style of JsSIP's and SIP.js's
 * grammar tests: URIs (RFC 3261 §19.1, §25.1), addresses (§20.10, §20.20),
 * Via (§20.42) and the private-address check the linter uses (RFC 1918 §3).
 */
import { describe, expect, it } from 'vitest';
import { Scanner, binaryText } from '../../sim/sip/scanner';
import { formatUri, isHost, scanUri, uriParam, uriRequiresTls, type SipUri, type Uri } from '../../sim/sip/uri';
import { formatNameAddress, scanAddressList, scanNameAddress } from '../../sim/sip/address';
import { formatVia, scanVia } from '../../sim/sip/via';
import { scanHeaderValue } from '../../sim/sip/header-grammar';
import { isPrivateAddress } from '../../sim/sip/lint';
import { SipParseError } from '../../sim/sip/syntax-error';

const scanner = (text: string) => {
  const s = binaryText(text);
  return new Scanner(s, 0, s.length, { lineAt: () => 1, where: 'test' });
};
const uri = (text: string, context: 'Request-URI' | 'name-addr' | 'addr-spec' = 'name-addr'): Uri => {
  const sc = scanner(text);
  return scanUri(sc, sc.end, { context, label: 'URI' });
};
const fails = (f: () => unknown, reason: RegExp) => {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SipParseError);
  expect((error as SipParseError).reason).toMatch(reason);
};

describe('SIP and SIPS URIs', () => {
  it.each([
    ['sip:alice@atlanta.example', { scheme: 'sip', user: 'alice', host: 'atlanta.example' }],
    [
      'sips:+15555550142@sbc1.trunks.quillfeather.example:5061;user=phone',
      { scheme: 'sips', port: 5061, params: [{ name: 'user', value: 'phone' }] },
    ],
    ['sip:alice:secretword@atlanta.example;transport=tcp', { user: 'alice', password: 'secretword' }],
    ['sip:[2001:db8::10]:5061;transport=tls', { host: '[2001:db8::10]', port: 5061 }],
    ['sip:[::ffff:192.0.2.1]', { host: '[::ffff:192.0.2.1]' }],
    ['sip:192.0.2.4', { host: '192.0.2.4' }],
    ['SIPS:Host.Example.', { scheme: 'sips', host: 'Host.Example.' }],
    [
      'sip:a%20b@h.example;n%61me=v%25;lr',
      { user: 'a%20b', params: [{ name: 'n%61me', value: 'v%25' }, { name: 'lr' }] },
    ],
    [
      'sip:h.example?subject=project%20x&priority=urgent',
      {
        headers: [
          { name: 'subject', value: 'project%20x' },
          { name: 'priority', value: 'urgent' },
        ],
      },
    ],
  ])('%s', (text, expected) => {
    const u = uri(text) as SipUri;
    expect(u).toMatchObject({ kind: 'sip', ...expected });
    expect(formatUri(u).toLowerCase()).toBe(text.toLowerCase());
  });

  it.each([
    ['sip:-bad.example', /not a host name/],
    ['sip:host.123', /not a host name/],
    ['sip:192.0.2.256', /not a host name/],
    ['sip:[2001:db8::1::2]', /not a host name/],
    ['sip:h.example:65536', /0 to 65535/],
    ['sip:a%2@h.example', /escape of two hex digits/],
    ['sip:a b@h.example', /not allowed/],
    ['sip:@h.example', /empty user part/],
    ['sip:h.example;=x', /parameter name/],
    ['sip:h.example;lr=', /has "=" but no value/],
    ['tel', /expected a URI/],
  ])('refuses %s', (text, reason) => fails(() => uri(text), reason));

  it('a Request-URI may not have headers; an addr-spec must be bracketed to have them', () => {
    fails(() => uri('sip:h.example?Route=x', 'Request-URI'), /Request-URI may not carry/);
    fails(() => uri('sip:h.example?Route=x', 'addr-spec'), /must be enclosed in <>/);
  });

  it('other schemes are kept as written', () => {
    expect(uri('tel:+15555550142;phone-context=example.com')).toEqual({
      kind: 'other',
      scheme: 'tel',
      text: 'tel:+15555550142;phone-context=example.com',
    });
    expect(uri('urn:service:sos')).toMatchObject({ kind: 'other', scheme: 'urn' });
  });

  it('TLS is asked for by sips: or transport=tls, compared without case', () => {
    expect(uriRequiresTls(uri('sips:h.example'))).toBe(true);
    expect(uriRequiresTls(uri('sip:h.example;Transport=TLS'))).toBe(true);
    expect(uriRequiresTls(uri('sip:h.example;transport=udp'))).toBe(false);
    expect(uriParam(uri('sip:h.example;lr;maddr=192.0.2.1'), 'LR')).toBe('');
    expect(uriParam(uri('sip:h.example;lr;maddr=192.0.2.1'), 'maddr')).toBe('192.0.2.1');
    expect(isHost('[fe80::1]')).toBe(true);
  });
});

describe('addresses', () => {
  it('display names: tokens, quoted with escapes and UTF-8, or none', () => {
    expect(scanNameAddress(scanner('Alice Liddell <sip:a@h.example>;tag=1'), 'x')).toMatchObject({
      displayName: 'Alice Liddell',
      bracketed: true,
      params: [{ name: 'tag', value: '1' }],
    });
    expect(scanNameAddress(scanner('"Zoë \\"Z\\" Ó" <sips:z@h.example>'), 'x').displayName).toBe('Zoë "Z" Ó');
    expect(scanNameAddress(scanner('sip:a@h.example;tag=x;expires=60'), 'x')).toMatchObject({
      bracketed: false,
      params: [{ name: 'tag' }, { name: 'expires', value: '60' }],
    });
  });

  it('parameters take tokens, hosts, IPv6 references or quoted strings', () => {
    const a = scanNameAddress(scanner('<sip:a@h.example>;received=[2001:db8::1];note="a b";flag'), 'x');
    expect(a.params).toEqual([
      { name: 'received', value: '[2001:db8::1]' },
      { name: 'note', value: 'a b', quoted: true },
      { name: 'flag' },
    ]);
    expect(formatNameAddress(a)).toBe('<sip:a@h.example>;received=[2001:db8::1];note="a b";flag');
  });

  it('lists, and Route that insists on <>', () => {
    expect(scanAddressList(scanner('<sip:a@h.example>, "B" <sip:b@h.example> ,sip:c@h.example'), 'x')).toHaveLength(3);
    fails(() => scanAddressList(scanner('sip:proxy.example;lr'), 'Route URI', true), /expected <URI>/);
  });

  it.each([
    ['"unterminated <sip:a@h.example>', /never closed/],
    ['<sip:a@h.example', /never closed with ">"/],
    ['< sip:a@h.example>', /white space inside <>/],
    ['Bell, Alexander <sip:a@h.example>', /double quotes/],
    ['<sip:a@h.example>;;tag=1', /parameter name/],
    ['<sip:a@h.example> junk', /unexpected/],
  ])('refuses %s', (text, reason) => fails(() => scanAddressList(scanner(text), 'x'), reason));

  it('Contact: "*" alone is the wildcard, "* <uri>" is a display name', () => {
    expect(scanHeaderValue('Contact', scanner(' * '))).toBe('*');
    expect(scanHeaderValue('m', scanner('* <sip:a@h.example>'))).toMatchObject([{ displayName: '*' }]);
  });
});

describe('Via', () => {
  it('parses and formats back', () => {
    const [v] = scanVia(scanner('SIP/2.0/TLS [2001:db8::9]:5061;branch=z9hG4bKx;rport;received=192.0.2.9;ttl=16'));
    expect(v).toMatchObject({ transport: 'TLS', host: '[2001:db8::9]', port: 5061 });
    expect(formatVia(v)).toBe('SIP/2.0/TLS [2001:db8::9]:5061;branch=z9hG4bKx;rport;received=192.0.2.9;ttl=16');
  });

  it.each([
    ['SIP/2.0 h.example', /expected "\/"/],
    ['SIP/2.0/TLS', /white space/],
    ['SIP/2.0/TLS h.example;received=h.example', /must be an IP address/],
    ['SIP/2.0/TLS h.example;ttl=300', /0 to 255/],
    ['SIP/2.0/TLS h.example;branch', /token value/],
    ['SIP/2.0/TLS h.example:99999', /0 to 65535/],
  ])('refuses %s', (text, reason) => fails(() => scanVia(scanner(text)), reason));
});

describe('private addresses (RFC 1918 §3, RFC 6598 §7, RFC 4193)', () => {
  it.each([
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.20', true],
    ['100.64.0.1', true],
    ['127.0.0.1', true],
    ['169.254.1.1', true],
    ['203.0.113.10', false],
    ['[fd00::1]', true],
    ['fe80::1', true],
    ['[2001:db8::1]', false],
    ['pbx.example', false],
  ])('%s → %s', (host, expected) => expect(isPrivateAddress(host)).toBe(expected));
});
