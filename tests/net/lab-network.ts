/** A small network for the tests: PBX and SBC 10 ms apart, and a host for the attacker. */
import { HmacDrbg } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';
import { Network, type Middlebox } from '../../sim/net/network';
import type { Host } from '../../sim/net/host';
import { writePcapng } from '../../sim/net/pcapng-writer';
import type { WirePacket } from '../../sim/net/wire-record';
import { scratchDir, writeScratch } from './tshark';

export const START = '2026-11-26T09:00:00Z';

export function labNetwork<M extends Middlebox = Middlebox>(
  seed = 1,
  options: { middlebox?: M | ((network: Network, host: Host) => M); latencyMs?: number } = {},
) {
  const clock = VirtualClock.at(START);
  const network = new Network(clock, HmacDrbg.fromSeed(seed, 'net test'));
  const pbx = network.addHost({ party: 'pbx', name: 'PBX', ip: '203.0.113.10' });
  const sbc = network.addHost({ party: 'sbc', name: 'SBC', ip: '198.51.100.20' });
  const attacker = network.addHost({ party: 'attacker', name: 'Attacker', ip: '192.0.2.66' });
  const m = options.middlebox;
  const middlebox = typeof m === 'function' ? m(network, attacker) : m;
  network.link(pbx, sbc, {
    latencyMs: options.latencyMs ?? 10,
    ...(middlebox ? { via: { host: attacker, middlebox, at: 0.4 } } : {}),
  });
  return { clock, network, pbx, sbc, attacker, middlebox };
}

/** Writes the records that crossed the wire (optionally only some) to a pcapng file; returns its path. */
export function capture(network: Network, name: string, keep: (r: WirePacket) => boolean = () => true): string {
  const packets = network.records
    .filter(keep)
    .map((r) => ({ timeMs: network.startMs + r.timeUs / 1000, bytes: r.bytes }));
  return writeScratch(scratchDir(), name, writePcapng(packets).bytes);
}

/** Bytes with a repeating, position-dependent pattern, so reordering or loss would show. */
export function patterned(length: number, salt = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 7 + salt + (i >> 8)) & 0xff);
}
