import { describe, expect, it } from 'vitest';
import carrierJson from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { HmacDrbg } from '../../sim/crypto/random';
import { PbxAgent, type PbxAgentConfig } from '../../sim/sip/pbx-agent';
import { serializeSipMessage } from '../../sim/sip/message';
import { trunklab } from './trunklab';

const carrier = carrierJson as CarrierProfile;

function invite(overrides: Partial<PbxAgentConfig> = {}): Uint8Array {
  const pbx = new PbxAgent(
    {
      carrier,
      transport: 'TLS',
      localIp: carrier.customer.pbxIp,
      localPort: 5061,
      contactScheme: 'sips',
      sbcPort: 5061,
      media: { port: 40000, secure: true, suites: ['AES_CM_128_HMAC_SHA1_80'] },
      ...overrides,
    },
    HmacDrbg.fromSeed(1),
  );
  return serializeSipMessage(pbx.invite('+15555550199'));
}

const lint = async (input: Uint8Array | string) => {
  const r = await trunklab(['sip-lint', '-', '--json'], { input });
  return {
    status: r.status,
    doc: JSON.parse(r.stdout) as { errors: number; findings: Array<{ code: string; line: number; severity: string }> },
  };
};
const codes = (doc: { findings: Array<{ code: string }> }) => doc.findings.map((f) => f.code);

describe('trunklab sip-lint', () => {
  it('finds nothing wrong with the lab PBX’s secure INVITE', async () => {
    const r = await trunklab(['sip-lint', '-'], { input: invite() });
    expect(r.stdout).toContain(`no secure-trunk problems found for ${carrier.name}`);
    expect(r.status).toBe(0);
  });

  it('a PBX that advertises its private address: Contact and SDP c= (error, exit 1)', async () => {
    const { status, doc } = await lint(invite({ advertisedIp: carrier.customer.pbxPrivateIp }));
    expect(status).toBe(1);
    expect(codes(doc)).toEqual(['private-contact', 'private-media-address']);
    expect(doc.findings[0].line).toBe(8);
  });

  it('plain RTP where SRTP is required', async () => {
    const { doc } = await lint(invite({ media: { port: 40000, secure: false, suites: [] } }));
    expect(codes(doc)).toEqual(['rtp-where-srtp-required']);
  });

  it('sip: without transport=tls, UDP Via, SDES keys over plain transport', async () => {
    const { doc } = await lint(invite({ transport: 'UDP', contactScheme: 'sip' }));
    expect(codes(doc)).toEqual([
      'sip-uri-without-tls',
      'via-not-tls',
      'sip-uri-without-tls',
      'keys-over-plain-transport',
    ]);
  });

  it('an MKI, a lifetime and a suite the carrier does not accept', async () => {
    const { doc } = await lint(
      invite({
        media: {
          port: 40000,
          secure: true,
          suites: ['AEAD_AES_256_GCM'],
          mki: { value: 1, length: 4 },
          lifetime: '2^50',
        },
      }),
    );
    expect(codes(doc).sort()).toEqual([
      'lifetime-too-long',
      'mki-not-accepted',
      'no-acceptable-crypto',
      'suite-not-accepted',
    ]);
  });

  it('port 5060 with TLS, a malformed a=crypto, RTP/SAVP without keys, protection switched off', async () => {
    const text = new TextDecoder()
      .decode(invite())
      .replace('<sips:harbourstreet@203.0.113.10:5061>', '<sip:harbourstreet@203.0.113.10:5060;transport=tls>')
      .replace(
        /a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:(\S+)/,
        'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$1 UNENCRYPTED_SRTP\r\na=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:abcd',
      )
      .replace(/Content-Length: \d+/, (m) => m); // lengths fixed below
    const [head, body] = text.split('\r\n\r\n');
    const fixed = `${head.replace(/Content-Length: \d+/, `Content-Length: ${Buffer.byteLength(body)}`)}\r\n\r\n${body}`;
    const { doc } = await lint(fixed);
    expect(codes(doc).sort()).toEqual([
      'malformed-crypto',
      'no-acceptable-crypto',
      'protection-disabled',
      'tls-on-port-5060',
    ]);
    const noKeys = fixed.replace(/a=crypto:[^\r]*\r\n/g, '');
    const [h2, b2] = noKeys.split('\r\n\r\n');
    expect(
      codes(
        (await lint(`${h2.replace(/Content-Length: \d+/, `Content-Length: ${Buffer.byteLength(b2)}`)}\r\n\r\n${b2}`))
          .doc,
      ),
    ).toContain('missing-crypto');
  });

  it('a message that does not parse is an error finding with its line', async () => {
    const { status, doc } = await lint('INVITE <sip:x@y> SIP/2.0\r\n\r\n');
    expect(status).toBe(1);
    expect(doc.findings).toEqual([expect.objectContaining({ code: 'invalid-message', line: 1, severity: 'error' })]);
  });
});
