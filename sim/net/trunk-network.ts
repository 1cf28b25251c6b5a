/**
 * The lab's network, built from a carrier profile: the customer's PBX, the
 * carrier's SBC and an attacker, at the profile's addresses, with the
 * attacker on the path between them (where a compromised router or a
 * malicious transit network would be). The attacker always taps; what else
 * it does is up to the scenario (attacker.ts). The SBC's services (5061 for
 * TLS, 5060 for UDP and TCP) are opened by whoever runs it, on its host.
 *
 * Without the attacker on the path, the customer's NAT router can sit there
 * instead, at the PBX's end (stateful-nat.ts): it keeps and forgets flows.
 */
import type { CarrierProfile } from '../carrier';
import type { VirtualClock } from '../crypto/clock';
import type { RandomSource } from '../crypto/random';
import { Network } from './network';
import type { Host } from './host';
import { OnPathAttacker } from './attacker';
import { Tap } from './tap';
import { trunkLenses } from './trunk-lenses';
import { StatefulNat } from './stateful-nat';

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
  /** The customer's NAT router, when the attacker is not on the path: how long it keeps idle TCP flows. */
  customerNat?: { tcpIdleMs: number };
}

export interface TrunkNetwork {
  network: Network;
  pbx: Host;
  sbc: Host;
  attacker: OnPathAttacker;
  /** The attacker's tap: what the bytes that passed it gave away. */
  tap: Tap;
  /** The customer's NAT router, if the path has one. */
  nat?: StatefulNat;
}

export function trunkNetwork(o: TrunkNetworkOptions): TrunkNetwork {
  const { carrier } = o;
  const network = new Network(o.clock, o.random.fork('network'));
  const pbx = network.addHost({ party: 'pbx', name: 'PBX', ip: carrier.customer.pbxIp });
  const sbc = network.addHost({ party: 'sbc', name: 'SBC', ip: carrier.sbc.ip });
  const attackerHost = network.addHost({ party: 'attacker', name: 'Attacker', ip: carrier.attackerIp });
  const attacker = new OnPathAttacker(network, attackerHost);
  const latencyMs = o.latencyMs ?? 12;
  let nat: StatefulNat | undefined;
  if (o.attackerOnPath ?? true) {
    network.link(pbx, sbc, { latencyMs, via: { host: attackerHost, middlebox: attacker, at: o.attackerAt ?? 0.25 } });
  } else {
    if (o.customerNat) {
      // The router belongs to the customer's site: what passes it, the customer's side has seen.
      const router = network.addHost({
        party: 'pbx',
        name: 'NAT router',
        ip: gatewayOf(carrier.customer.pbxPrivateIp),
      });
      nat = new StatefulNat({ inside: pbx.ip, tcpIdleMs: o.customerNat.tcpIdleMs }, () => network.nowUs() / 1000);
      network.link(pbx, sbc, { latencyMs, via: { host: router, middlebox: nat, at: 0 } });
    } else {
      network.link(pbx, sbc, { latencyMs });
    }
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
  return { network, pbx, sbc, attacker, tap, ...(nat ? { nat } : {}) };
}

/** The router's own LAN address: the first host of the PBX's /24 (`192.168.1.1` for `192.168.1.20`). */
function gatewayOf(privateIp: string): string {
  return `${privateIp.split('.').slice(0, 3).join('.')}.1`;
}
