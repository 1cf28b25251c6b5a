import { describe, expect, it } from 'vitest';
import { utf8 } from '../../sim/wire';
import { HmacDrbg } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';
import { trunkNetwork } from '../../sim/net/trunk-network';
import type { WirePacket } from '../../sim/net/wire-record';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { START, labNetwork } from './lab-network';

const profile = carrier as CarrierProfile;

describe('the network moves packets in virtual time', () => {
  it('delays a datagram by serialization at 100 Mbit/s and the link latency', () => {
    const net = labNetwork(1, { latencyMs: 10 });
    let arrivedAt = -1;
    net.sbc.bindUdp(5060).onMessage = () => (arrivedAt = net.network.nowUs());
    const r = net.pbx.bindUdp(5060).send({ ip: net.sbc.ip, port: 5060 }, new Uint8Array(1222)); // 1250-byte packet
    net.network.runSync();
    // 1250 bytes × 8 bits at 100 Mbit/s = 100 µs on the wire, then 10 ms of latency.
    expect(arrivedAt).toBe(10_100);
    expect(r).toMatchObject({ timeUs: 0, arrivalUs: 10_100, fate: 'delivered', from: 'pbx', to: 'sbc' });
    // The clock keeps epoch milliseconds in a double: a fraction of a microsecond is its grain.
    expect(net.clock.now() - Date.parse(START)).toBeCloseTo(10.1, 3);
  });

  it('queues packets behind each other on the sender’s link', () => {
    const net = labNetwork(2);
    net.sbc.bindUdp(5060);
    const s = net.pbx.bindUdp(5060);
    const sent = [0, 1, 2].map(() => s.send({ ip: net.sbc.ip, port: 5060 }, new Uint8Array(1222)));
    expect(sent.map((r) => r.timeUs)).toEqual([0, 100, 200]);
  });

  it('says what became of packets nobody takes', () => {
    const net = labNetwork(3);
    const s = net.pbx.bindUdp(5060);
    const nobody = s.send({ ip: net.sbc.ip, port: 5099 }, utf8('x'));
    const nowhere = s.send({ ip: '198.51.100.99', port: 5060 }, utf8('x'));
    net.network.runSync();
    expect(nobody.fate).toBe('no-listener');
    expect(nowhere.fate).toBe('unroutable');
  });

  it('runs up to a time, leaving later events for later, and the clock reads that time', () => {
    const net = labNetwork(4);
    const heard: number[] = [];
    net.sbc.bindUdp(5060).onMessage = () => heard.push(net.network.nowUs());
    const s = net.pbx.bindUdp(5060);
    for (let i = 0; i < 5; i++)
      net.network.after(20 * i, `packet ${i}`, () => s.send({ ip: net.sbc.ip, port: 5060 }, utf8('rtp')));
    net.network.runSync({ untilMs: 45 });
    expect(heard).toHaveLength(2);
    expect(net.clock.now() - Date.parse(START)).toBe(45);
    net.network.runSync();
    expect(heard).toHaveLength(5);
  });

  it('waits for an asynchronous handler before the next event, so the order never depends on how long it takes', async () => {
    const order: string[] = [];
    const net = labNetwork(5);
    const sbc = net.sbc.bindUdp(5060);
    sbc.onMessage = async (d) => {
      // Real asynchronous work, as WebCrypto's would be.
      await new Promise((resolve) => setTimeout(resolve, d[0] === 0x61 ? 30 : 1));
      order.push(String.fromCharCode(d[0]));
      sbc.send({ ip: net.pbx.ip, port: 5060 }, d);
    };
    const pbx = net.pbx.bindUdp(5060);
    pbx.onMessage = (d) => order.push(`reply ${String.fromCharCode(d[0])}`);
    pbx.send({ ip: net.sbc.ip, port: 5060 }, utf8('a'));
    net.network.after(0.001, 'second', () => pbx.send({ ip: net.sbc.ip, port: 5060 }, utf8('b')));
    await net.network.run();
    expect(order).toEqual(['a', 'b', 'reply a', 'reply b']);
    expect(() => {
      sbc.onMessage = async () => undefined;
      pbx.send({ ip: net.sbc.ip, port: 5060 }, utf8('c'));
      net.network.runSync();
    }).toThrow(/use run\(\)/);
  });

  it('tells a watcher about each packet as it is sent', () => {
    const net = labNetwork(6);
    const seen: WirePacket[] = [];
    net.network.watch((r) => seen.push(r));
    net.sbc.bindUdp(5060);
    net.pbx.bindUdp(5060).send({ ip: net.sbc.ip, port: 5060 }, utf8('x'));
    expect(seen).toHaveLength(1);
    expect(seen[0].fate).toBe('in-flight');
  });
});

describe('the trunk network from the carrier profile', () => {
  function build(attackerOnPath: boolean) {
    const clock = VirtualClock.at(START);
    return trunkNetwork({ carrier: profile, clock, random: HmacDrbg.fromSeed(1, 'trunk'), attackerOnPath });
  }

  it('puts the parties at the profile’s addresses, with the attacker tapping the path', () => {
    const t = build(true);
    expect([t.pbx.ip, t.sbc.ip, t.attacker.host.ip]).toEqual([
      profile.customer.pbxIp,
      profile.sbc.ip,
      profile.attackerIp,
    ]);
    t.sbc.bindUdp(profile.sbc.plainPort);
    const r = t.pbx
      .bindUdp(5060)
      .send({ ip: t.sbc.ip, port: profile.sbc.plainPort }, utf8('OPTIONS sip:x SIP/2.0\r\n\r\n'));
    t.network.runSync();
    expect(r.seenBy).toEqual(['pbx', 'attacker', 'sbc']);
    expect(t.tap.observations.get(r.index)).toBeDefined();
    // 12 ms of path (the attacker forwards without delay) after the packet's serialization at 100 Mbit/s.
    expect(r.arrivalUs! - r.timeUs).toBe(12_000 + Math.ceil((r.bytes.length * 8) / 100));
  });

  it('off the path, the attacker sees nothing but can still send', () => {
    const t = build(false);
    t.sbc.bindUdp(profile.sbc.plainPort);
    const heard: string[] = [];
    t.sbc.bindUdp(9).onMessage = (d) => heard.push(String(d.length));
    const r = t.pbx.bindUdp(5060).send({ ip: t.sbc.ip, port: profile.sbc.plainPort }, utf8('x'));
    t.attacker.inject(
      {
        transport: 'udp',
        src: { ip: t.pbx.ip, port: 5060 },
        dst: { ip: t.sbc.ip, port: 9 },
        payload: { bytes: utf8('yy'), fields: [] },
      },
      'blind',
    );
    t.network.runSync();
    expect(r.seenBy).toEqual(['pbx', 'sbc']);
    expect(t.attacker.seen).toHaveLength(0);
    expect(heard).toEqual(['2']);
  });
});
