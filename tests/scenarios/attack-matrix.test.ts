/**
 * The attack matrix: each of the attacker's capabilities against each
 * protection, run through the real code. Where the protection is in place
 * the attack gets nothing (and the run shows which check stopped it); where
 * the configuration is insecure the attack succeeds, and the tests check
 * what the attacker actually recovered: the SIP plaintext, the SDES keys,
 * the audio (compared byte for byte with what the SBC heard from the PBX).
 */
import { describe, expect, it } from 'vitest';
import type { Field, Step, Timeline } from '../../sim/index';
import { fromHex } from '../../sim/wire';
import { digestResponse, parseCredentials } from '../../sim/sip/digest';
import { audioOf, profile, readableText, run, runSetup } from './runs';

const PLAIN_RTP = { carrier: { srtp: { required: false } }, pbx: { media: { offer: 'rtp' as const } } };
const PLAIN_SIP = { pbx: { transport: 'udp' as const, port: 'plain' as const } };

/** The attacker recovered the PBX's voice: its track is the very audio the SBC played. */
function attackerHearsVoice(t: Timeline): void {
  const attacker = audioOf(t, 'attacker')!;
  expect(attacker.heard).toBe('voice');
  expect(attacker.payload.length).toBeGreaterThan(100 * 320);
  expect(attacker.payload).toBe(audioOf(t, 'sbc')!.payload);
}

/** The attacker got no audio: what it plays is ciphertext, unlike what the SBC heard. */
function attackerHearsNoise(t: Timeline): void {
  const attacker = audioOf(t, 'attacker')!;
  expect(attacker.heard).toBe('noise');
  expect(attacker.payload).not.toBe(audioOf(t, 'sbc')!.payload);
}

/** SIP the attacker read in full, and the SDES key lines among it. */
function attackerSip(t: Timeline): { text: string; keys: string[] } {
  const text = readableText(t, 'attacker');
  return { text, keys: text.match(/a=crypto:\d+ [A-Z_0-9]+ inline:[A-Za-z0-9+/=]+/g) ?? [] };
}

function outcome(t: Timeline) {
  return `${t.outcome.stage}/${t.outcome.reason}`;
}

describe('observe: a tap on the path', () => {
  it('against TLS and SRTP: metadata only, no SIP, no key, no voice', async () => {
    const t = await run('eavesdrop-secure');
    expect(outcome(t)).toBe('complete/ok');
    const { text, keys } = attackerSip(t);
    expect(text).toContain('sbc1.trunks.quillfeather.example'); // the SNI, in clear
    expect(text).not.toMatch(/REGISTER sip|INVITE sip|Authorization: Digest/);
    expect(keys).toEqual([]);
    expect(t.steps.filter((s) => s.protocol === 'SIP').every((s) => s.views.attacker.access === 'metadata')).toBe(true);
    attackerHearsNoise(t);
  });

  it('against TLS 1.2: it also reads both certificates, and still no SIP', async () => {
    const t = await run('eavesdrop-secure', { whatIf: { tls: '1.2' } });
    const certs = t.steps.filter((s) => s.summary === 'Certificate' || s.summary.startsWith('Certificate ('));
    expect(certs.some((s) => s.views.attacker.access === 'all')).toBe(true);
    expect(attackerSip(t).text).not.toMatch(/INVITE sip/);
    attackerHearsNoise(t);
  });

  it('against plain SIP with SDES: it reads the keys in the SDP and decrypts the voice', async () => {
    const t = await run('sdes-over-plain-sip');
    const { text, keys } = attackerSip(t);
    expect(text).toMatch(/^INVITE sip:/m);
    // Both directions' keys: the PBX's offer and the SBC's answer.
    expect(keys.length).toBeGreaterThanOrEqual(2);
    const invite = t.steps.find((s) => s.summary === 'INVITE')!;
    expect(invite.views.attacker.access).toBe('all');
    attackerHearsVoice(t);
  });

  it('whichever of the offered keys the answer picked: it tries each until one opens the stream', async () => {
    const t = await runSetup(
      {
        ...PLAIN_SIP,
        pbx: { ...PLAIN_SIP.pbx, media: { suites: ['AES_CM_128_HMAC_SHA1_32', 'AES_CM_128_HMAC_SHA1_80'] } },
        attacker: { kind: 'observe' },
      },
      1,
      'two-suites',
    );
    const ok = t.steps.find(
      (s) =>
        s.summary === '200 OK' &&
        s.views.pbx.access === 'all' &&
        /a=crypto:2/.test(new TextDecoder().decode(fromHex(s.bytes))),
    );
    expect(ok, 'the SBC picked the second offered suite').toBeDefined();
    attackerHearsVoice(t);
  });

  it('against the same trunk moved to TLS: the keys and the voice are out of reach', async () => {
    const t = await run('sdes-over-plain-sip', { whatIf: { transport: 'tls' } });
    expect(attackerSip(t).keys).toEqual([]);
    attackerHearsNoise(t);
  });

  it('against plain SIP and RTP: every header, the digest to guess at offline, and the voice', async () => {
    const t = await run('plain-sip-eavesdrop');
    const { text } = attackerSip(t);
    expect(text).toMatch(/Authorization: Digest username="harbourstreet"/);
    expect(text).toMatch(/m=audio \d+ RTP\/AVP/);
    attackerHearsVoice(t);
  });
});

describe('what an eavesdropper makes of media when the SIP is encrypted', () => {
  it('plain RTP: the attacker reads and plays it, and every text says so', async () => {
    const t = await run('secure-call', { whatIf: { srtp: 'off', attacker: 'observe' } });
    const rtp = t.steps.filter((s) => s.protocol === 'RTP' && s.from === 'pbx');
    expect(rtp.length).toBe(128);
    for (const s of rtp) {
      expect(s.views.attacker.access).toBe('all');
      expect(s.views.attacker.summary).toMatch(/plain RTP .* anyone can play it/);
      expect(s.views.attacker.summary).not.toMatch(/unreadable/);
    }
    expect(audioOf(t, 'attacker')?.heard).toBe('voice');
    expect(t.outcome.summary).toMatch(/over plain RTP \(unencrypted\)/);
    expect(t.outcome.summary).toMatch(/The attacker read 128 of the PBX’s and 128 of the SBC’s audio packets/);
    expect(t.media!.every((m) => m.protocol === 'RTP' && m.attackerRead === 128)).toBe(true);
  });

  it('SRTP: the attacker sees the tag that makes the payload longer than its samples, and reads nothing', async () => {
    const t = await run('eavesdrop-secure');
    const srtp = t.steps.filter((s) => s.protocol === 'SRTP' && s.from === 'pbx');
    for (const s of srtp) {
      expect(s.views.attacker.access).toBe('metadata');
      expect(s.views.attacker.summary).toMatch(
        /160 bytes would be 20 ms of G\.711, and the 10 more are SRTP’s authentication tag/,
      );
    }
    expect(t.outcome.summary).toMatch(/over SRTP/);
  });
});

describe('intercept: the attacker answers in the SBC’s place', () => {
  it.each([
    ['self-signed', 'unknown_ca'],
    ['other-ca', 'unknown_ca'],
    ['other-name', 'bad_certificate'],
    ['copied-sbc', 'decrypt_error'],
  ] as const)('with a %s certificate, a checking PBX refuses it (%s) and sends no SIP', async (certificate, alert) => {
    const t = await runSetup({ attacker: { kind: 'intercept', certificate } }, 1, `intercept-${certificate}`);
    expect(outcome(t)).toBe(`tls/${alert}`);
    // The PBX believes it talks to the SBC; the outcome says who really answered, and that an attack was stopped.
    expect(t.outcome.summary).toMatch(/^The PBX ended the TLS handshake with the attacker/);
    expect(t.outcome.attackStopped?.by).toMatch(/^the PBX’s check of the (certificate it was shown|CertificateVerify)/);
    expect(t.steps[t.outcome.step!].failure).toMatch(new RegExp(`^${alert}`));
    expect(attackerSip(t).text).not.toMatch(/REGISTER sip/);
    expect(t.steps.some((s) => s.protocol === 'SIP')).toBe(false);
    expect(t.steps.some((s) => s.to === 'sbc')).toBe(false);
  });

  it('a PBX that does not check hands its REGISTER to the attacker; the SBC’s client-certificate demand stops the relay', async () => {
    const t = await run('mitm-self-signed', { whatIf: { verify: 'off' } });
    expect(outcome(t)).toBe('tls/certificate_required');
    const register = t.steps.find((s) => s.summary === 'REGISTER' && s.from === 'pbx')!;
    expect(register.to).toBe('attacker');
    expect(register.views.attacker.access).toBe('all');
    expect(attackerSip(t).text).toMatch(/^REGISTER sip:quillfeather\.example;transport=tls SIP\/2\.0/m);
    const refusal = t.steps.find((s) => s.summary === 'Alert certificate_required')!;
    expect([refusal.from, refusal.to]).toEqual(['sbc', 'attacker']);
    expect(refusal.failure).toMatch(/the attacker sent no certificate/);
    // Nothing of the PBX's reaches the SBC but the one REGISTER the attacker tried to relay.
    expect(t.steps.filter((s) => s.protocol === 'SIP' && s.to === 'sbc').map((s) => s.summary)).toEqual(['REGISTER']);
  });

  it('refused by the SBC, the attacker poses as it: its own challenge, the digest kept, the INVITE and its keys read', async () => {
    const t = await run('mitm-self-signed', { whatIf: { verify: 'off' } });
    const fromAttacker = t.steps.filter((s) => s.protocol === 'SIP' && s.from === 'attacker' && s.to === 'pbx');
    expect(fromAttacker.map((s) => s.summary)).toEqual([
      '401 Unauthorized',
      '200 OK',
      '100 Trying',
      '503 Service Unavailable',
    ]);
    const pbxText = (summary: string) => {
      const s = t.steps.find(
        (x) => x.summary === summary && x.from === 'pbx' && x.to === 'attacker' && x.index > fromAttacker[0].index,
      )!;
      return new TextDecoder().decode(fromHex(s.views.attacker.layers.at(-1)!.bytes));
    };
    // The challenge is the attacker's own (it asks for MD5); the PBX answers it with a digest of its password.
    const challenge = new TextDecoder().decode(fromHex(fromAttacker[0].views.attacker.layers.at(-1)!.bytes));
    expect(challenge).toMatch(/^WWW-Authenticate: Digest realm="quillfeather\.example", nonce="[^"]+", algorithm=MD5/m);
    const authorization = /^Authorization: (.*)$/m.exec(pbxText('REGISTER'))![1].trim();
    const c = parseCredentials(authorization)!;
    expect(c).toMatchObject({ username: 'harbourstreet', algorithm: 'MD5', qop: 'auth' });
    // Offline guessing: the kept response tells the right password from a wrong one, with no SBC involved.
    const guess = (password: string) =>
      digestResponse({ ...c, password, method: 'REGISTER', realm: c.realm, nonce: c.nonce, uri: c.uri });
    expect(guess(profile.customer.password)).toBe(c.response);
    expect(guess('wrong-horse-battery')).not.toBe(c.response);
    // The INVITE: the dialled number and the PBX's SRTP keys, readable to the attacker; no media follows.
    const invite = pbxText('INVITE');
    expect(invite).toMatch(/^INVITE sip:\+15555550123@/m);
    expect(invite.match(/^a=crypto:/gm)).toHaveLength(2);
    expect(t.steps.some((s) => s.protocol === 'SRTP')).toBe(false);
    expect(t.outcome.summary).toMatch(
      /holds its digest response .* the number it dialled \(\+15555550123\) and 2 SRTP master keys/,
    );
  });

  it('with neither check, the attacker relays the whole call: the credentials, the keys and the voice', async () => {
    const t = await run('mitm-self-signed', { whatIf: { verify: 'off', clientCert: 'optional' } });
    expect(outcome(t)).toBe('complete/ok');
    const { text, keys } = attackerSip(t);
    expect(text).toMatch(/Authorization: Digest username="harbourstreet"/);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    attackerHearsVoice(t);
  });
});

describe('tamper: flipping bits in flight', () => {
  it('a TLS record: the SBC’s tag check fails, it sends bad_record_mac, and never acts on the SIP inside', async () => {
    const t = await run('tls-record-tamper');
    expect(outcome(t)).toBe('tls/bad_record_mac');
    const copy = t.steps.find((s) => s.summary === 'REGISTER (tampered)')!;
    expect(copy.from).toBe('attacker');
    expect(copy.views.sbc.access).toBe('metadata');
    expect(copy.failure).toMatch(/^bad_record_mac/);
    expect(t.steps.some((s) => s.summary === '401 Unauthorized')).toBe(false);
  });

  it('SRTP: exactly the altered packets are dropped, and nothing altered is played', async () => {
    const t = await run('srtp-tamper');
    expect(outcome(t)).toBe('srtp/auth_failure');
    const altered = t.steps.filter((s) => s.summary === 'SRTP (tampered)');
    expect(altered).toHaveLength(5);
    for (const s of altered) expect(s.failure).toMatch(/^SRTP auth_failure/);
    expect(audioOf(t, 'sbc')!.payload.length / 2).toBe((128 - 5) * 160);
    expect(sentFrames(t)).toEqual(expect.arrayContaining(frames(audioOf(t, 'sbc')!.payload)));
  });

  it('plain RTP: the same bit flips go unnoticed, and the SBC plays the altered audio', async () => {
    const t = await runSetup(
      { ...PLAIN_RTP, attacker: { kind: 'tamper', target: 'srtp', packets: 5 } },
      1,
      'rtp-tamper',
    );
    expect(outcome(t)).toBe('complete/ok');
    const heard = frames(audioOf(t, 'sbc')!.payload);
    expect(heard).toHaveLength(128);
    const sent = sentFrames(t);
    const changed = heard.filter((f, i) => f !== sent[i]);
    expect(changed).toHaveLength(5);
  });
});

describe('replay: sending recorded packets again', () => {
  it('SRTP: authentic but already seen, so the replay window discards each one', async () => {
    const t = await run('srtp-replay');
    expect(outcome(t)).toBe('srtp/replay');
    const copies = t.steps.filter((s) => s.summary === 'SRTP (replayed)');
    expect(copies).toHaveLength(5);
    for (const s of copies) expect(s.failure).toMatch(/^SRTP replay/);
    expect(audioOf(t, 'sbc')!.payload.length / 2).toBe(128 * 160);
  });

  it('plain RTP: the replayed packets are played a second time', async () => {
    const t = await runSetup({ ...PLAIN_RTP, attacker: { kind: 'replay', packets: 5 } }, 1, 'rtp-replay');
    expect(outcome(t)).toBe('complete/ok');
    expect(audioOf(t, 'sbc')!.payload.length / 2).toBe((128 + 5) * 160);
  });
});

describe('drop: SRTP cannot notice a missing packet; the receiver’s reports count it', () => {
  it('five dropped packets: the call goes on, the SBC plays 123, and its next report says 5 lost', async () => {
    const t = await runSetup({ attacker: { kind: 'drop', packets: 5 } }, 1, 'srtp-drop');
    expect(outcome(t)).toBe('complete/ok');
    expect(
      t.steps.filter((s) => s.protocol === 'SRTP' && s.views.sbc.access === 'none' && s.from === 'pbx'),
    ).toHaveLength(5);
    expect(audioOf(t, 'sbc')!.payload.length / 2).toBe(123 * 160);
    const lastReport = t.steps.filter((s) => s.protocol === 'SRTCP' && s.from === 'sbc').at(-1)!;
    const lost = findField(lastReport.views.sbc.layers[0].fields, 'Cumulative packets lost');
    expect(lost?.value).toMatch(/^5\b/);
  });
});

describe('downgrade: rewriting the offer to plain RTP', () => {
  it('on plain SIP the attacker rewrites the INVITE, and the PBX, which offered SRTP, refuses the plain answer', async () => {
    const t = await runSetup(
      { ...PLAIN_SIP, carrier: { srtp: { required: false } }, attacker: { kind: 'downgrade' } },
      1,
      'downgrade-plain',
    );
    const rewritten = t.steps.find((s) => s.summary === 'INVITE (rewritten)')!;
    const sdp = new TextDecoder().decode(fromHex(rewritten.bytes));
    expect(sdp).toMatch(/m=audio \d+ RTP\/AVP /);
    expect(sdp).not.toContain('a=crypto');
    expect(outcome(t)).toBe('sdp/488');
    // The SBC answered and began to send; the PBX never sends its audio unprotected.
    expect(t.steps.some((s) => s.protocol === 'RTP' && s.from === 'pbx')).toBe(false);
  });

  it('on plain SIP to a carrier that requires SRTP, the SBC refuses the rewritten offer', async () => {
    const t = await runSetup({ ...PLAIN_SIP, attacker: { kind: 'downgrade' } }, 1, 'downgrade-required');
    expect(outcome(t)).toBe('sdp/488');
    expect(t.steps.find((s) => s.summary === '488 Not Acceptable Here')!.from).toBe('sbc');
  });

  it('over TLS the attacker cannot find the offer: the call keeps SRTP', async () => {
    const t = await runSetup({ attacker: { kind: 'downgrade' } }, 1, 'downgrade-tls');
    expect(outcome(t)).toBe('complete/ok');
    expect(t.steps.some((s) => s.summary.includes('(rewritten)'))).toBe(false);
    attackerHearsNoise(t);
  });
});

describe('record now, decrypt later: the SBC’s key stolen after the call', () => {
  it('static RSA: the recording opens, SIP, SDES keys and voice', async () => {
    const t = await run('record-now-decrypt-later');
    expect(outcome(t)).toBe('complete/ok');
    const { text, keys } = attackerSip(t);
    expect(text).toMatch(/Authorization: Digest username="harbourstreet"/);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    attackerHearsVoice(t);
    const last = t.steps.at(-1)!;
    expect(last.events).toContainEqual(
      expect.objectContaining({ kind: 'key', party: 'attacker', name: 'master_secret' }),
    );
  });

  it('ECDHE: the same stolen key opens nothing (forward secrecy)', async () => {
    const t = await run('record-now-decrypt-later', { whatIf: { keyExchange: 'ecdhe' } });
    expect(attackerSip(t).keys).toEqual([]);
    attackerHearsNoise(t);
    expect(JSON.stringify(t.steps.at(-1)!.events)).toContain('forward_secrecy');
  });

  it('TLS 1.3: nothing either', async () => {
    const t = await runSetup({ keys: 'rsa-2048', attacker: { kind: 'steal-key' } }, 1, 'steal-tls13');
    expect(attackerSip(t).keys).toEqual([]);
    attackerHearsNoise(t);
  });
});

/** 20 ms frames of G.711 audio, as hex. */
function frames(hex: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < hex.length; i += 320) out.push(hex.slice(i, i + 320));
  return out;
}

/** The frames the PBX sent, in order, from the plaintext it wrote (or the plain RTP on the wire). */
function sentFrames(t: Timeline): string[] {
  return t.steps
    .filter((s: Step) => s.from === 'pbx' && (s.protocol === 'SRTP' || s.protocol === 'RTP'))
    .map((s) => {
      const rtp = s.protocol === 'RTP' ? s.bytes.slice(56) : s.views.pbx.layers[0].bytes;
      return rtp.slice(24, 24 + 320);
    });
}

function findField(fields: readonly Field[], name: string): Field | undefined {
  for (const f of fields) {
    if (f.name === name) return f;
    const inner = f.children && findField(f.children, name);
    if (inner) return inner;
  }
  return undefined;
}
