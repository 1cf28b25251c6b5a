/**
 * The diagnosis of a captured trunk: how far it got, and the first thing a
 * party refused, with the packet that proves it, in the codes the field
 * uses — the same ones a simulated run ends with (scenarios/verdicts.ts):
 *
 * - TCP (RFC 9293 §3.5): a SYN nobody answered (`no_answer`), or answered
 *   with RST (`connection_refused`);
 * - TLS: the alert a side sent (RFC 8446 §6, its description's name:
 *   `unknown_ca`), a ClientHello the client gave up waiting on
 *   (`handshake_timeout`), an answer that is not TLS (`not_tls`);
 * - SIP: a final failure response that was not a challenge answered by a new
 *   request (RFC 3261 §21, §22.2: `403`; `488` and `606` are SDP's, stage
 *   `sdp`, RFC 3264 §6), or an INVITE with no final answer within Timer B's
 *   32 s (§17.1.1.2, `408`);
 * - media: a packet whose SRTP tag does not verify (`auth_failure`) or that
 *   repeats an index (`replay`) at its receiver (RFC 3711 §3.3), and audio
 *   that only goes one way (`one_way_audio`).
 *
 * When nothing was refused and the call carried media both ways, the trunk
 * worked: stage `complete`, reason `ok`. When nothing was refused but the
 * SIP or the media could not be decrypted, the capture cannot tell:
 * reason `not_decrypted`.
 */
import type { Outcome, Party, Stage } from '../timeline';

/** The stages a trunk goes through, in order. */
export type TrunkStage = 'tcp' | 'tls' | 'registration' | 'call' | 'media';

export const TRUNK_STAGES: readonly TrunkStage[] = ['tcp', 'tls', 'registration', 'call', 'media'];

export interface StageReport {
  stage: TrunkStage;
  reached: boolean;
  /** The packet that shows it was reached. */
  packet?: number;
  detail: string;
}

export interface CaptureFailure {
  /** Packet number in the capture file, from 1, as Wireshark numbers it. */
  packet: number;
  /** Who decided: the side that sent the alert or the error, or that received the bad packet. */
  party: Party;
  stage: Stage;
  /** A TLS alert name, a SIP status code, an SRTP verdict, or a transport reason. */
  reason: string;
  detail: string;
}

const NAMES: Record<Party, string> = { pbx: 'PBX', attacker: 'attacker', sbc: 'SBC' };

export function partyLabel(p: Party): string {
  return NAMES[p];
}

export class Diagnosis {
  private readonly refusals: CaptureFailure[] = [];
  private readonly reached = new Map<TrunkStage, { packet: number; detail: string }>();
  private readonly missed = new Map<TrunkStage, string>();

  /** A party refused something: it goes on the list, and the earliest packet wins. */
  refuse(f: CaptureFailure): void {
    this.refusals.push(f);
  }

  /** A stage was reached at `packet` (the first report of a stage stays). */
  reach(stage: TrunkStage, packet: number, detail: string): void {
    if (!this.reached.has(stage)) this.reached.set(stage, { packet, detail });
  }

  /** Why a stage was not reached, when something specific explains it. */
  miss(stage: TrunkStage, detail: string): void {
    if (!this.missed.has(stage)) this.missed.set(stage, detail);
  }

  get failure(): CaptureFailure | null {
    let first: CaptureFailure | null = null;
    for (const f of this.refusals) if (!first || f.packet < first.packet) first = f;
    return first;
  }

  stages(): StageReport[] {
    return TRUNK_STAGES.map((stage) => {
      const r = this.reached.get(stage);
      if (r) return { stage, reached: true, packet: r.packet, detail: r.detail };
      return { stage, reached: false, detail: this.missed.get(stage) ?? NOT_SEEN[stage] };
    });
  }

  isReached(stage: TrunkStage): boolean {
    return this.reached.has(stage);
  }

  /**
   * The outcome in the Timeline's terms. With no failure, a capture whose
   * content could not all be read (`unread`: TLS without its secrets, SRTP
   * without its keys) is no proof that the trunk worked: its outcome says
   * `not_decrypted` at the stage that hides the rest.
   */
  outcome(summaryWhenOk: string, unread?: { stage: Stage; summary: string }): Outcome {
    const f = this.failure;
    if (f) {
      return { ok: false, stage: f.stage, reason: f.reason, summary: `Packet ${f.packet}: ${f.detail}` };
    }
    if (unread) return { ok: false, stage: unread.stage, reason: 'not_decrypted', summary: unread.summary };
    return { ok: true, stage: 'complete', reason: 'ok', summary: summaryWhenOk };
  }
}

const NOT_SEEN: Record<TrunkStage, string> = {
  tcp: 'no TCP connection carrying SIP or TLS in the capture',
  tls: 'no TLS handshake completed in the capture',
  registration: 'no REGISTER answered with 200 OK in the capture',
  call: 'no INVITE answered with 200 OK in the capture',
  media: 'no media that flowed both ways in the capture',
};
