/**
 * The lab's network, built from a carrier profile: the customer's PBX, the
 * carrier's SBC and an attacker, at the profile's addresses, with the
 * attacker on the path between them (where a compromised router or a
 * malicious transit network would be). The attacker always taps; what else
 * it does is up to the scenario (attacker.ts). The SBC's services (5061 for
 * TLS, 5060 for UDP and TCP) are opened by whoever runs it, on its host.
 */
import type { CarrierProfile } from '../carrier';
import type { VirtualClock } from '../crypto/clock';
import type { RandomSource } from '../crypto/random';
import { Network } from './network';
import type { Host } from './host';
import { OnPathAttacker } from './attacker';
import { Tap } from './tap';
import { trunkLenses } from './trunk-lenses';

export interface TrunkNetworkOptions {
  carrier: CarrierProfile;
  clock: VirtualClock;
  random: RandomSource;
  /** One-way latency between PBX and SBC (default 12 ms, a trunk within one country). */
  latencyMs?: number;
  /** Whether the attacker sits on the path (default true); off it, it can only send. */
  attackerOnPath?: boolean;
  /** Where on the path, as the share of the latency from the PBX (default 0.25: near the customer). */
  attackerAt?: number;
}

export interface TrunkNetwork {
  network: Network;
  pbx: Host;
  sbc: Host;
  attacker: OnPathAttacker;
  /** The attacker's tap: what the bytes that passed it gave away. */
  tap: Tap;
}

export function trunkNetwork(o: TrunkNetworkOptions): TrunkNetwork {
  const { carrier } = o;
  const network = new Network(o.clock, o.random.fork('network'));
  const pbx = network.addHost({ party: 'pbx', name: 'PBX', ip: carrier.customer.pbxIp });
  const sbc = network.addHost({ party: 'sbc', name: 'SBC', ip: carrier.sbc.ip });
  const attackerHost = network.addHost({ party: 'attacker', name: 'Attacker', ip: carrier.attackerIp });
  const attacker = new OnPathAttacker(network, attackerHost);
  const latencyMs = o.latencyMs ?? 12;
  if (o.attackerOnPath ?? true) {
    network.link(pbx, sbc, { latencyMs, via: { host: attackerHost, middlebox: attacker, at: o.attackerAt ?? 0.25 } });
  } else {
    network.link(pbx, sbc, { latencyMs });
    network.link(attackerHost, pbx, { latencyMs });
    network.link(attackerHost, sbc, { latencyMs });
  }
  const tap = attacker.observe(
    new Tap(
      trunkLenses({
        tls: [carrier.sbc.tlsPort],
        sip: [carrier.sbc.plainPort],
        names: { [pbx.ip]: 'PBX', [sbc.ip]: 'SBC', [attackerHost.ip]: 'attacker' },
      }),
    ),
  );
  return { network, pbx, sbc, attacker, tap };
}
