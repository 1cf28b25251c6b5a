/**
 * Everything one run of a scenario shares: the carrier profile it runs with,
 * the setup, time and randomness, the trunk network with the attacker's
 * position, the credentials, and the record of what happened (the ledger,
 * the verdicts, the TLS key log).
 */
import type { CarrierProfile } from '../carrier';
import type { Party } from '../timeline';
import type { VirtualClock } from '../crypto/clock';
import type { RandomSource } from '../crypto/random';
import type { Endpoint } from '../net/address';
import type { TrunkNetwork } from '../net/trunk-network';
import type { WirePacket } from '../net/wire-record';
import type { TlsEndpoint } from '../tls/endpoint';
import type { RunCredentials } from './credentials';
import type { ScenarioDefinition, ScenarioSetup } from './scenario';
import { StepLedger } from './step-ledger';
import { Verdicts } from './verdicts';
import { TlsStreams } from './tls-streams';

export interface TrunkRun {
  definition: ScenarioDefinition;
  setup: ScenarioSetup;
  carrier: CarrierProfile;
  clock: VirtualClock;
  random: RandomSource;
  /** Virtual time the run began, ms since the epoch. */
  startMs: number;
  net: TrunkNetwork;
  /**
   * Who presents and trusts what. A promise: issuing the carrier's PKI takes a
   * while the first time, and the first packets (TCP's handshake) need none of
   * it, so the parties wait for it only when their TLS starts.
   */
  credentials: Promise<RunCredentials>;
  ledger: StepLedger;
  verdicts: Verdicts;
  /** TLS records written to each connection, by stream position (tls-streams.ts). */
  streams: TlsStreams;
  /** Every TLS client of the run, for the key log. */
  tlsClients: TlsEndpoint[];
  /** How long each side talks. */
  audioMs: number;
  /** Milliseconds since the run began. */
  nowMs(): number;
  /** The packet a party's stack is receiving right now on this connection, if any. */
  arriving(party: Party, local: Endpoint, remote: Endpoint): number | undefined;
  /** The last packet put on the wire so far. */
  lastRecord(): number | undefined;
}

/** Finds the packet being delivered right now: the network sets its arrival time before handing it over. */
export function arrivingRecord(
  records: readonly WirePacket[],
  nowUs: number,
  party: Party,
  local: Endpoint,
  remote: Endpoint,
): number | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i];
    if (r.arrivalUs !== nowUs || r.fate !== 'in-flight' || r.to !== party) continue;
    if (same(r.dst, local) && same(r.src, remote)) return r.index;
  }
  return undefined;
}

function same(a: Endpoint, b: Endpoint): boolean {
  return a.ip === b.ip && a.port === b.port;
}

export function newLedgerState(): { ledger: StepLedger; verdicts: Verdicts; streams: TlsStreams } {
  const ledger = new StepLedger();
  return { ledger, verdicts: new Verdicts(), streams: new TlsStreams(ledger) };
}
