/**
 * How a run ends, read from what happened: the first thing a party refused
 * (the TLS alert it sent, the SIP failure it answered, the TLS handshake it
 * gave up waiting for, the SRTP packet it dropped), and, when nothing was
 * refused, whether the call carried media both ways. Nothing here is
 * written into a scenario: the parties' code reports, this records.
 */
import type { Outcome, Party, Stage } from '../timeline';

export interface Verdict {
  party: Party;
  stage: Stage;
  /** A TLS alert name, a SIP status code, an SRTP verdict (`auth_failure`, `replay`), or a transport reason. */
  reason: string;
  summary: string;
  /** Virtual milliseconds since the run began. */
  at: number;
}

const NAMES: Record<Party, string> = { pbx: 'PBX', attacker: 'attacker', sbc: 'SBC' };

export function partyName(p: Party): string {
  return NAMES[p];
}

export class Verdicts {
  /** Every refusal, in the order it happened. */
  readonly all: Verdict[] = [];
  /** Milestones a successful call passes. */
  registered = false;
  answered = false;
  ended = false;
  /** Media packets each side accepted. */
  readonly mediaReceived: Partial<Record<Party, number>> = {};
  /** SRTP drops by the receiving side and reason. */
  readonly mediaDropped: Partial<Record<Party, { auth_failure: number; replay: number; other: number }>> = {};

  refuse(v: Verdict): void {
    this.all.push(v);
  }

  countDrop(party: Party, reason: string): void {
    const d = (this.mediaDropped[party] ??= { auth_failure: 0, replay: 0, other: 0 });
    if (reason === 'auth_failure' || reason === 'replay') d[reason]++;
    else d.other++;
  }

  /** @param media how the call's voice travelled, for the summary of a call that went through */
  outcome(expectMedia: boolean, media?: 'SRTP' | 'RTP'): Outcome {
    const first = this.all[0];
    if (first)
      return { ok: false, stage: first.stage, reason: first.reason, summary: first.summary, decidedBy: first.party };
    if (!this.answered) {
      return {
        ok: false,
        stage: 'sip',
        reason: '408',
        // Timer B is the PBX's: it gives up waiting for a final response.
        decidedBy: 'pbx',
        summary: 'The call was never answered: no final response reached the PBX (RFC 3261 §17.1.1.2 Timer B).',
      };
    }
    if (expectMedia) {
      const silent = (['pbx', 'sbc'] as const).filter((p) => !this.mediaReceived[p]);
      if (silent.length > 0) {
        const who = silent.map(partyName).join(' and the ');
        return {
          ok: false,
          stage: 'srtp',
          reason: 'one_way_audio',
          // Who notices: the side that hears nothing.
          decidedBy: silent[0],
          summary: `The call connected, but the ${who} received no media: the other side sent its audio to an address it cannot reach.`,
        };
      }
    }
    const received = `${this.mediaReceived.pbx ?? 0} and ${this.mediaReceived.sbc ?? 0}`;
    return {
      ok: true,
      stage: 'complete',
      reason: 'ok',
      summary: `${this.registered ? 'Registered, called' : 'Called'}, talked${media === 'SRTP' ? ' over SRTP' : media === 'RTP' ? ' over plain RTP (unencrypted)' : ''} and hung up: the PBX and the SBC accepted ${received} media packets, and the call ended with BYE and 200 OK.`,
    };
  }
}
