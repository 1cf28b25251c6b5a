/**
 * The runner: a scenario's setup interpreted through the real code, one
 * virtual-network event at a time, yielding each step of the Timeline as
 * soon as its packet's fate is known, so the lab can show the first step
 * while the rest of the call is still being computed.
 *
 * 1. The setup: the scenario's, with the chosen what-ifs; the carrier profile
 *    with its overrides; who presents and trusts what (credentials.ts), issued
 *    when the first TLS handshake needs it.
 * 2. The network: PBX, SBC, and the attacker on the path (or off it).
 * 3. The parties: the SBC listens; the PBX dials — TCP, TLS, REGISTER with
 *    digest, INVITE with SDES, SRTP both ways, BYE — and the attacker does
 *    what its plan says. Everyone stops where the real code stops.
 * 4. The outcome is read from what happened (verdicts.ts); after the call,
 *    an attacker who steals the SBC's key tries it on its recording.
 *
 * A run is a pure function of (scenario, options, seed): all randomness comes
 * from one HMAC-DRBG seeded with the seed and the scenario's id, all time from
 * a virtual clock.
 */
import type { CallAudio, Party, Phase, Step, Timeline } from '../timeline';
import type { WirePacket } from '../net/wire-record';
import { formatEndpoint } from '../net/address';
import { HmacDrbg, LiveRandom, type RandomSource } from '../crypto/random';
import { VirtualClock } from '../crypto/clock';
import { trunkNetwork } from '../net/trunk-network';
import { keyLogFile } from '../tls/key-log';
import { spokenPhrase } from '../rtp/audio-sources';
import { G711_SAMPLE_RATE, PACKET_TIME_MS, SAMPLES_PER_PACKET } from '../rtp/g711-packetizer';
import { RTP_FIXED_HEADER_LENGTH } from '../rtp/rtp-packet';
import { concatBytes, fromHex, toHex } from '../wire/bytes';
import type { RunOptions, ScenarioDefinition } from './scenario';
import { carrierWith, effectiveSetup } from './setup';
import { runCredentials, type RunCredentials } from './credentials';
import { arrivingRecord, newLedgerState, type TrunkRun } from './trunk-run';
import { PbxSide } from './pbx-side';
import { SbcSide } from './sbc-side';
import { installAttack } from './attacks';
import { stealKeyAndDecrypt } from './key-theft';
import { buildStep, settled } from './timeline-steps';
import { partyName } from './verdicts';
import { withEvidence } from './outcome-evidence';
import { mediaTally } from './media-tally';

/** IPv4 (20 bytes, no options) and UDP (8) headers before a datagram's payload; the RTP header; one G.711 frame. */
const IPV4_UDP_HEADERS = 28;
const RTP_HEADER = RTP_FIXED_HEADER_LENGTH;
const G711_FRAME = SAMPLES_PER_PACKET;

/** The virtual instant every run starts at (and the carrier's PKI is issued around). */
export const RUN_START = '2026-11-26T09:00:00Z';
/** A run that is still going after this much virtual time is stopped (a safety net, never reached by the catalogue). */
const MAX_VIRTUAL_MS = 120_000;

/** The spoken phrase's length, rounded up to whole 20 ms packets. */
export function defaultAudioMs(): number {
  const ms = (spokenPhrase().samples.length / G711_SAMPLE_RATE) * 1000;
  return Math.ceil(ms / PACKET_TIME_MS) * PACKET_TIME_MS;
}

/** Runs a scenario, yielding each step when it is final; returns the whole Timeline. */
export async function* runScenarioSteps(
  definition: ScenarioDefinition,
  options: RunOptions,
): AsyncGenerator<Step, Timeline, void> {
  const setup = effectiveSetup(definition, options.whatIf);
  const carrier = carrierWith(options.carrier, setup.carrier);
  const random: RandomSource = options.live ? new LiveRandom() : HmacDrbg.fromSeed(options.seed, definition.id);
  const clock = VirtualClock.at(RUN_START);
  const startMs = clock.now();
  // Issued when a party first needs it (the first TLS handshake): plain SIP never does.
  let credentials: Promise<RunCredentials> | undefined;
  const net = trunkNetwork({
    carrier,
    clock,
    random,
    attackerOnPath: setup.attacker.kind !== 'none',
    ...(setup.customerNat ? { customerNat: { tcpIdleMs: setup.customerNat.tcpIdleSeconds * 1000 } } : {}),
  });
  const run: TrunkRun = {
    definition,
    setup,
    carrier,
    clock,
    random,
    startMs,
    net,
    get credentials() {
      return (credentials ??= runCredentials(setup, carrier, startMs));
    },
    ...newLedgerState(),
    tlsClients: [],
    audioMs: options.audioMs ?? defaultAudioMs(),
    nowMs: () => net.network.nowUs() / 1000,
    arriving: (party, local, remote) => arrivingRecord(net.network.records, net.network.nowUs(), party, local, remote),
    lastRecord: () => (net.network.records.length ? net.network.records.length - 1 : undefined),
  };
  net.network.watch((r) => run.streams.map(r));

  const sbc = new SbcSide(run);
  const pbx = new PbxSide(run);
  installAttack(run);
  pbx.start();

  // Steps are final when their packet's fate is known; a run whose attacker later
  // revisits its recording (the stolen key) holds them back until it has.
  const holdSteps = setup.attacker.kind === 'steal-key';
  const steps: Step[] = [];
  const records = net.network.records;
  // A bare ACK or an alert stays in the phase of its own connection, not of whatever was sent last.
  const phases = new Map<string, Phase>();
  const build = (record: WirePacket): Step => {
    // The two endpoints in a fixed order, so both directions of a connection share one key.
    const a = formatEndpoint(record.src);
    const b = formatEndpoint(record.dst);
    const flow = a < b ? `${a} ${b}` : `${b} ${a}`;
    const step = buildStep(run, record, steps.length, phases.get(flow) ?? steps.at(-1)?.phase);
    phases.set(flow, step.phase);
    steps.push(step);
    return step;
  };
  // Whether the next step is final: written out at each yield below rather than delegated to a
  // generator, which would cost an object per network event even when no step is ready.
  const nextIsReady = () => steps.length < records.length && settled(records[steps.length]);
  // A run with calls towards the PBX lasts until the last of them, and a while more.
  const limitMs = Math.max(MAX_VIRTUAL_MS, ...(setup.sbc.incomingCallsAtMs ?? []).map((t) => t + MAX_VIRTUAL_MS));
  for (;;) {
    const stepped = net.network.step();
    if (!(typeof stepped === 'boolean' ? stepped : await stepped)) break;
    if (net.network.nowUs() > limitMs * 1000) break;
    if (!holdSteps) while (nextIsReady()) yield build(records[steps.length]);
  }
  if (setup.attacker.kind === 'steal-key') await stealKeyAndDecrypt(run);
  while (nextIsReady()) yield build(records[steps.length]);
  // Anything still travelling when the run stopped (nothing, unless the safety net fired).
  while (steps.length < records.length) yield build(records[steps.length]);

  const verdict = run.verdicts.outcome(true, pbx.media.secure ? 'SRTP' : 'RTP');
  const attackerLearned = attackerSummary(run, steps);
  const outcome = withEvidence(
    attackerLearned ? { ...verdict, summary: `${sentence(verdict.summary)} ${attackerLearned}` } : verdict,
    steps,
    records,
    definition,
    carrier,
  );
  const media = run.verdicts.answered ? mediaTally(run, steps, records) : [];
  return {
    scenario: definition.id,
    seed: options.seed,
    live: random.seeded === false,
    startedAt: new Date(startMs).toISOString(),
    steps,
    outcome,
    ...audioOf(run, steps, pbx, sbc),
    ...(media.length ? { media } : {}),
    ...keyLogOf(run),
  };
}

/** Text that ends as a sentence does. */
function sentence(text: string): string {
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}

function keyLogOf(run: TrunkRun): { keyLog?: string } {
  const lines = run.tlsClients.flatMap((c) => c.keyLog);
  return lines.length
    ? { keyLog: keyLogFile(lines, `${run.definition.id}: TLS secrets of the run's connections`) }
    : {};
}

/** The call as each party hears it. */
function audioOf(run: TrunkRun, steps: Step[], pbx: PbxSide, sbc: SbcSide): { audio?: CallAudio[] } {
  if (!run.verdicts.answered) return {};
  const audio: CallAudio[] = [
    {
      party: 'pbx',
      heard: pbx.media.heard.length ? 'voice' : 'silence',
      summary: pbx.media.heard.length
        ? pbx.media.secure
          ? 'The PBX decrypts and plays what the SBC sent.'
          : 'The PBX plays what the SBC sent: plain RTP, nothing to decrypt.'
        : 'The PBX hears nothing: no media reached it.',
      law: pbx.media.law,
      payload: toHex(concatBytes(...pbx.media.heard)),
    },
    {
      party: 'sbc',
      heard: sbc.media.heard.length ? 'voice' : 'silence',
      summary: sbc.media.heard.length
        ? sbc.media.secure
          ? 'The SBC decrypts and plays what the PBX sent.'
          : 'The SBC plays what the PBX sent: plain RTP, nothing to decrypt.'
        : 'The SBC hears nothing: no media reached it.',
      law: sbc.media.law,
      payload: toHex(concatBytes(...sbc.media.heard)),
    },
  ];
  const attacker = attackerAudio(run, steps);
  if (attacker) audio.push(attacker);
  return { audio };
}

/**
 * What the attacker on the path hears of the PBX's voice: the payloads it
 * could decrypt (or that were never encrypted), else the ciphertext played
 * as if it were G.711, which sounds like noise.
 */
function attackerAudio(run: TrunkRun, steps: Step[]): CallAudio | undefined {
  const media = steps.filter(
    (s) =>
      s.from === 'pbx' &&
      (s.protocol === 'RTP' || s.protocol === 'SRTP') &&
      s.views.attacker.access !== 'none' &&
      !s.summary.includes(','),
  );
  if (media.length === 0) return undefined;
  const voice: Uint8Array[] = [];
  const noise: Uint8Array[] = [];
  for (const s of media) {
    // A whole RTP packet the attacker recovered (not just the header its tap reads in clear).
    const rtp = s.views.attacker.layers.find((l) => /^RTP/.test(l.title) && l.bytes.length / 2 > RTP_HEADER);
    const wire = fromHex(s.bytes).subarray(IPV4_UDP_HEADERS);
    if (s.protocol === 'RTP') voice.push(wire.subarray(RTP_HEADER));
    else if (rtp) voice.push(fromHex(rtp.bytes).subarray(RTP_HEADER));
    else noise.push(wire.subarray(RTP_HEADER, RTP_HEADER + G711_FRAME));
  }
  const heard = voice.length >= noise.length ? 'voice' : 'noise';
  const parts = heard === 'voice' ? voice : noise;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return {
    party: 'attacker',
    heard,
    summary:
      heard === 'voice'
        ? run.setup.pbx.media.offer === 'rtp' || media[0].protocol === 'RTP'
          ? 'The attacker plays the PBX’s voice as it captured it: plain RTP needs no key.'
          : 'The attacker decrypts the PBX’s voice with the SDES key it read, and plays it.'
        : 'The attacker has no SRTP key: playing the encrypted payloads as G.711 gives only noise.',
    law: 'pcmu',
    payload: toHex(out),
  };
}

/** One sentence on what the attacker got, read from its views of the steps. */
function attackerSummary(run: TrunkRun, steps: Step[]): string | undefined {
  if (run.setup.attacker.kind === 'none') return undefined;
  const read = steps.filter((s) => s.views.attacker.access === 'all' && s.from !== 'attacker');
  const sip = read.filter((s) => s.protocol === 'SIP').length;
  const audio = (from: Party) =>
    read.filter((s) => (s.protocol === 'SRTP' || s.protocol === 'RTP') && s.from === from).length;
  const media = { pbx: audio('pbx'), sbc: audio('sbc') };
  if (sip === 0 && media.pbx + media.sbc === 0) {
    return `The ${partyName('attacker')} on the path read no SIP and no audio: only addresses, sizes and timing.`;
  }
  const voice = (['pbx', 'sbc'] as const)
    .filter((p) => media[p] > 0)
    .map((p) => `${media[p]} of the ${partyName(p)}’s`);
  const what = [
    sip ? `${sip} SIP message${sip === 1 ? '' : 's'}` : '',
    voice.length ? `${voice.join(' and ')} audio packets` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const gave = whatThePbxGaveAway(read);
  return `The attacker read ${what}${gave.length ? `; from the PBX’s SIP it holds ${listInWords(gave)}` : ''}.`;
}

/**
 * What the PBX's own SIP, read in full by the attacker, hands it: the digest
 * response to test password guesses against offline (RFC 7616 §5), the
 * numbers dialled, and the SRTP keys of its a=crypto lines (RFC 4568 §6.1).
 */
function whatThePbxGaveAway(read: Step[]): string[] {
  const sip = read
    .filter((s) => s.protocol === 'SIP' && s.from === 'pbx')
    .map((s) => s.views.attacker.layers.map((l) => new TextDecoder().decode(fromHex(l.bytes))).join('\n'))
    .join('\n');
  const out: string[] = [];
  if (/^Authorization: Digest /m.test(sip)) out.push('its digest response (to test password guesses against offline)');
  const numbers = [...new Set([...sip.matchAll(/^INVITE sips?:([^@\s;]+)@/gm)].map((m) => m[1]))];
  if (numbers.length) out.push(`the number${numbers.length === 1 ? '' : 's'} it dialled (${numbers.join(', ')})`);
  const keys = [...sip.matchAll(/^a=crypto:/gm)].length;
  if (keys) out.push(`${keys} SRTP master key${keys === 1 ? '' : 's'} from its a=crypto lines`);
  return out;
}

function listInWords(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
