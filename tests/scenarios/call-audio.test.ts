import { describe, expect, it } from 'vitest';
import { run } from './runs';

/** What each party hears, as the lab plays it: decided by what reached it, never stated by the scenario. */
describe('call audio', () => {
  it('on a secure call both ends hear voice and the eavesdropper hears noise', async () => {
    const t = await run('eavesdrop-secure');
    const heard = Object.fromEntries((t.audio ?? []).map((a) => [a.party, a.heard]));
    expect(heard).toEqual({ pbx: 'voice', sbc: 'voice', attacker: 'noise' });
    for (const a of t.audio ?? []) expect(a.payload.length, a.party).toBeGreaterThan(0);
  });

  it('with a private Contact the PBX hears silence, with nothing to play', async () => {
    const t = await run('contact-private-ip');
    const pbx = t.audio?.find((a) => a.party === 'pbx');
    expect(pbx).toMatchObject({ heard: 'silence', payload: '' });
    expect(t.audio?.find((a) => a.party === 'sbc')?.heard).toBe('voice');
  });
});
