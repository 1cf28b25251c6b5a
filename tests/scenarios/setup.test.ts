/**
 * How a scenario's setup becomes a run's: what-if choices applied in the
 * scenario's order, unknown ids and values refused by name, and the carrier
 * profile overridden only where the scenario says.
 */
import { describe, expect, it } from 'vitest';
import { DEFINITIONS } from '../../sim/scenarios/catalogue';
import {
  SECURE_TRUNK,
  UnknownWhatIfError,
  applyPatch,
  carrierWith,
  effectiveSetup,
  secureTrunk,
} from '../../sim/scenarios/setup';
import { profile, run } from './runs';

const definition = (id: string) => DEFINITIONS.find((d) => d.id === id)!;

describe('what-ifs', () => {
  it('the defaults leave the scenario’s setup as it is', () => {
    for (const d of DEFINITIONS) expect(effectiveSetup(d)).toEqual(d.setup);
  });

  it('choices combine: a PBX that checks nothing and an SBC that asks for nothing', () => {
    const s = effectiveSetup(definition('mitm-self-signed'), { verify: 'off', clientCert: 'optional' });
    expect(s.pbx.tls.verifiesServer).toBe(false);
    expect(s.carrier.tls?.requireClientCertificate).toBe(false);
    expect(s.attacker).toEqual({ kind: 'intercept', certificate: 'self-signed' });
  });

  it('refuses an id or a value the scenario does not offer, naming what it does', () => {
    expect(() => effectiveSetup(definition('secure-call'), { keyExchange: 'ecdhe' })).toThrow(UnknownWhatIfError);
    expect(() => effectiveSetup(definition('secure-call'), { keyExchange: 'ecdhe' })).toThrow(/tls, attacker, srtp/);
    expect(() => effectiveSetup(definition('secure-call'), { tls: '1.1' })).toThrow(/choices: 1\.3, 1\.2/);
  });

  it('each what-if of the catalogue runs, and changes what its choice says', async () => {
    const tls12 = await run('secure-call', { whatIf: { tls: '1.2' } });
    expect(tls12.steps.some((s) => s.summary === 'ServerKeyExchange')).toBe(true);
    const plain = await run('secure-call', { whatIf: { srtp: 'off' } });
    expect(plain.steps.some((s) => s.protocol === 'RTP')).toBe(true);
    expect(plain.steps.some((s) => s.protocol === 'SRTP')).toBe(false);
    const watched = await run('secure-call', { whatIf: { attacker: 'observe' } });
    expect(watched.steps.every((s) => s.views.attacker.access !== 'none')).toBe(true);
    const noClientCert12 = await run('no-client-cert', { whatIf: { tls: '1.2' } });
    expect(noClientCert12.outcome.reason).toBe('handshake_failure');
    const expired12 = await run('expired-sbc-cert', { whatIf: { tls: '1.2' } });
    expect(expired12.outcome.reason).toBe('certificate_expired');
    for (const id of ['srtp-tamper', 'srtp-replay', 'tls-record-tamper']) {
      const off = await run(id, { whatIf: { attacker: 'off' } });
      expect(off.outcome, id).toMatchObject({ ok: true, stage: 'complete' });
    }
  });
});

describe('setups and profiles', () => {
  it('a patch changes only what it names', () => {
    const s = secureTrunk({ pbx: { tls: { versions: ['1.2'] } } });
    expect(s.pbx.tls).toEqual({ ...SECURE_TRUNK.pbx.tls, versions: ['1.2'] });
    expect(s.pbx.media).toEqual(SECURE_TRUNK.pbx.media);
    expect(applyPatch(s, { carrier: { srtp: { required: false } } }).carrier).toEqual({ srtp: { required: false } });
  });

  it('the carrier profile keeps everything a scenario does not override', () => {
    const c = carrierWith(profile, { tls: { versions: ['1.3'] }, auth: 'ip' });
    expect(c.tls).toEqual({ ...profile.tls, versions: ['1.3'] });
    expect(c.auth).toBe('ip');
    expect(c.srtp).toEqual(profile.srtp);
    expect(c.sbc).toEqual(profile.sbc);
  });

  it('a carrier that knows its customer by address: no REGISTER, the call goes straight through', async () => {
    const { runSetup } = await import('./runs');
    const t = await runSetup({ carrier: { auth: 'ip' } }, 1, 'ip-auth');
    expect(t.outcome.ok).toBe(true);
    const sip = t.steps.filter((s) => s.protocol === 'SIP').map((s) => s.summary);
    expect(sip[0]).toBe('INVITE');
    expect(sip).not.toContain('REGISTER');
  });
});
