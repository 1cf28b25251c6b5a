import { describe, expect, it } from 'vitest';
import { utf8 } from '../../sim/wire';
import { OnPathAttacker } from '../../sim/net/attacker';
import { wireCapture } from '../../sim/net/wire-capture';
import { writePcapng } from '../../sim/net/pcapng-writer';
import { labNetwork } from './lab-network';
import { scratchDir, tsharkFields, writeScratch } from './tshark';

describe('captures of the wire and of one machine', () => {
  it('the wire shows every copy; each machine only what reached it; comments say what the attacker did', () => {
    const net = labNetwork(71, { middlebox: (n, h) => new OnPathAttacker(n, h) });
    const attacker = net.middlebox!;
    net.sbc.bindUdp(5060);
    const s = net.pbx.bindUdp(5060);
    attacker.drop(({ parsed }) => parsed.payload[0] === 0x61, 'drop the first');
    attacker.rewrite(
      ({ parsed }) => parsed.payload[0] === 0x62,
      () => ({ payload: utf8('B!') }),
      'change the second',
    );
    s.send({ ip: net.sbc.ip, port: 5060 }, utf8('a'));
    s.send({ ip: net.sbc.ip, port: 5060 }, utf8('b'));
    net.network.runSync();
    const wire = wireCapture(net.network.records, net.network.startMs);
    expect(wire.map((p) => p.comment)).toEqual([
      'PBX → Attacker; dropped: drop the first',
      'PBX → Attacker; replaced: change the second',
      'Attacker → SBC (rewritten copy of packet 2)',
    ]);
    const atSbc = wireCapture(net.network.records, net.network.startMs, { at: 'sbc' });
    expect(atSbc).toHaveLength(1);
    // On the SBC's machine the packet is stamped when it arrived.
    expect(atSbc[0].timeMs).toBeCloseTo(net.network.startMs + net.network.records[2].arrivalUs! / 1000, 6);
    const file = writeScratch(scratchDir(), 'sbc.pcapng', writePcapng(atSbc).bytes);
    expect(tsharkFields(file, ['data.text'], ['-o', 'data.show_as_text:TRUE'])).toEqual([['B!']]);
    expect(wireCapture(net.network.records, net.network.startMs, { at: 'pbx' })).toHaveLength(2);
  });
});
