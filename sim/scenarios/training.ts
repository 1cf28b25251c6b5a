/**
 * What makes a failing scenario an exercise: the symptom as a support
 * engineer meets it (the customer's ticket, the PBX's trunk status and a
 * log line, written as an Asterisk or FreeSWITCH administrator would see
 * them — illustrative, not produced by the run), which packets prove the
 * cause, the causes and fixes a trainee chooses from, and a hint that
 * points at the field to read.
 *
 * This is teaching data beside the scenario's definition, never an outcome:
 * which packet proves the failure is checked against what the run shows
 * (the packet whose `failure` is set), and the words for the right cause
 * and fix are the scenario's remedy (scenario.ts `RemedyDefinition`).
 */
import type { CarrierProfile } from '../carrier';
import type { Party } from '../timeline';
import type { CauseId, FixId } from '../training/choices';

/** The stage a trainee names, as a support engineer names it. */
export type TrainingStage = 'tls' | 'registration' | 'call-setup' | 'media';

/** A PBX administrator's view of the fault: the trunk's status line and one log line. */
export interface PbxSymptom {
  /** Which PBX the lines are written for. */
  system: 'Asterisk' | 'FreeSWITCH';
  /** What the trunk's status command prints (`pjsip show registrations`, `sofia status gateway`). */
  status: (carrier: CarrierProfile) => string;
  /** One line of the PBX's log around the failure. */
  log: (carrier: CarrierProfile) => string;
}

/**
 * The packets that prove the cause, described by who sent them and their
 * ladder summary; `which: 'first'` when only the first such packet carries
 * the failure (the first SRTP packet sent to an address nobody has),
 * `'every'` when each of them does (each tampered SRTP packet).
 */
export interface ProofPattern {
  from: Party;
  /** The ladder summary, or its start: `Alert`, `403 Forbidden`, `SRTP (tampered)`. */
  summary: string;
  which: 'first' | 'every';
  /** Only packets after the last one from the same party whose protocol and summary start with this (`SIP ACK`: once a re-INVITE is acknowledged). */
  after?: string;
}

export interface TrainingDefinition {
  /** How hard it is to tell apart from its neighbours: the sets in the training article use it. */
  level: 'beginner' | 'advanced';
  /**
   * The stage a support engineer files it under, when it is not the one the run's outcome names:
   * an INVITE refused by SIP (403, 404) stops the run at SIP, yet it is a call set-up fault.
   * The proving packets must then be in that phase of the run (tests/training checks it).
   */
  stage?: TrainingStage;
  /** The customer's ticket, in the customer's words. */
  ticket: (carrier: CarrierProfile) => string;
  pbx: PbxSymptom;
  proof: ProofPattern;
  /** The right cause first, then 3 to 5 plausible wrong ones from the same stage (training/choices.ts). */
  causes: [CauseId, ...CauseId[]];
  /** The right fix first, then 2 to 4 plausible wrong ones. */
  fixes: [FixId, ...FixId[]];
  /** The last hint: which packet and field to read. */
  hint: string;
}
