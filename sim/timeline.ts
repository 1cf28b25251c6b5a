/**
 * The Timeline: the one contract between the engine and the screen.
 *
 * A scenario run yields an ordered list of steps, each a packet one party sent
 * another, with its exact wire bytes, the annotated field tree that covers
 * every byte, what each party could read of it, and the state each party
 * gained. The run ends with an outcome. Everything here is plain JSON, so a
 * Timeline crosses a Web Worker boundary, a `--json` pipe or a file unchanged.
 */
import type { Field } from './wire/field';

/** The three parties on a trunk's path. */
export type Party = 'pbx' | 'attacker' | 'sbc';

export const PARTIES: readonly Party[] = ['pbx', 'attacker', 'sbc'];

export type Transport = 'udp' | 'tcp';

/** The protocol a step is labelled with: the innermost layer its bytes carry. */
export type Protocol = 'TCP' | 'TLS' | 'SIP' | 'RTP' | 'RTCP' | 'SRTP' | 'SRTCP';

/** A decoded layer that only some parties can see: the plaintext inside a TLS record, say. */
export interface DecodedLayer {
  /** What the bytes are: `TLS 1.3 inner plaintext`, `SIP REGISTER`. */
  title: string;
  /** Hex of the layer's own bytes (e.g. the decrypted record), which `fields` cover. */
  bytes: string;
  fields: Field[];
}

/** What one party could read of a step. */
export interface PartyView {
  /**
   * `all`: it reads everything (an endpoint, or anyone when the traffic is in clear);
   * `metadata`: headers, sizes and timing only; `none`: it never saw the packet.
   */
  access: 'all' | 'metadata' | 'none';
  /** One line of what this party learns from the packet. */
  summary: string;
  /** Layers revealed to this party beyond the wire bytes (decrypted content). */
  layers: DecodedLayer[];
}

/** A secret or key a party now holds, and where it came from. */
export interface KeyEvent {
  kind: 'key';
  party: Party;
  /** The name the spec gives it: `client_handshake_traffic_secret`, `SRTP session encryption key`. */
  name: string;
  /** Hex. */
  value: string;
  /** Names of the values it was derived from. */
  from: string[];
  /** How: `HKDF-Expand-Label(handshake_secret, "c hs traffic", transcript, 32)`. */
  how: string;
  spec?: string;
}

/** One step of a certificate path validation, as the party that ran it saw it. */
export interface CertificateCheckEvent {
  kind: 'certificate-check';
  party: Party;
  /** Whose certificate: `SBC`, `PBX`. */
  subject: string;
  valid: boolean;
  /** `ok` or a reason code from pki/ (`expired`, `unknown_issuer`, ...). */
  reason: string;
  detail: string;
  trace: Array<{ check: string; result: 'pass' | 'fail'; detail: string }>;
  /** The checking party's clock when it checked (ISO 8601): what the validity dates were compared with. */
  at?: string;
}

/** Anything else a party learned or decided, in words. */
export interface NoteEvent {
  kind: 'note';
  party: Party;
  text: string;
}

export type StateEvent = KeyEvent | CertificateCheckEvent | NoteEvent;

export interface ArticleLink {
  /** Site-relative path: `/docs/tls-handshake/#clienthello`. */
  href: string;
  title: string;
}

/**
 * The part of a trunk's life a step belongs to, in the order a call goes
 * through them: the lab's chapters. A step that only carries transport
 * housekeeping (a TCP ACK, a FIN, a close_notify) stays in the phase it
 * happens in, so a run that fails ends in the phase that failed.
 */
export type Phase = 'tcp' | 'tls' | 'registration' | 'call-setup' | 'media' | 'hang-up';

export const PHASES: readonly Phase[] = ['tcp', 'tls', 'registration', 'call-setup', 'media', 'hang-up'];

export interface Step {
  index: number;
  /** For a step read from a capture file: the packet's number in the file, from 1, as Wireshark numbers it. */
  packet?: number;
  /** Which part of the trunk's life this packet belongs to (phase-of-step.ts says how it is read). */
  phase: Phase;
  /** Virtual milliseconds since the run started. */
  time: number;
  from: Party;
  to: Party;
  /** `203.0.113.10:50600` style addresses as they appear on the wire. */
  src: string;
  dst: string;
  transport: Transport;
  protocol: Protocol;
  /** Ladder label: `ClientHello`, `REGISTER`, `401 Unauthorized`, `SRTP`. */
  summary: string;
  /** Hex of the exact bytes on the wire (the IP packet). */
  bytes: string;
  /** Annotated tree whose leaves cover every byte of `bytes`. */
  fields: Field[];
  /** What each party could read. */
  views: Record<Party, PartyView>;
  /** A few plain sentences: what happens here and why it matters. */
  explanation: string;
  articles: ArticleLink[];
  /** What parties gained or decided when this packet was sent or received. */
  events: StateEvent[];
  /** Set when this packet carries a failure: an alert, an error status, an authentication failure. */
  failure?: string;
  /**
   * The step's words without what the run knows beyond its packet: no label saying the attacker
   * made, altered or replayed it, no sentence saying what the attacker did to it, no link to the
   * run's own article. "Diagnose the trunk" shows these until the trainee has answered
   * (training/unmarked-steps.ts); the lab shows the step's own. Set only when they differ.
   */
  unmarked?: UnmarkedWords;
}

/** A step's ladder label, explanation, articles and each party's one line, as a trainee first reads them. */
export interface UnmarkedWords {
  summary: string;
  explanation: string;
  articles: ArticleLink[];
  views: Record<Party, string>;
}

/** Where a run stopped, if it failed. */
export type Stage = 'tcp' | 'tls' | 'sip' | 'sdp' | 'srtp' | 'complete';

/** What to change on a real PBX or SBC after a failure: the troubleshooting article prints the same words. */
export interface Remedy {
  /** Why the trunk fails this way, in words. */
  cause: string;
  /** What to change. */
  fix: string;
  /** The troubleshooting article's section on it. */
  article: ArticleLink;
}

export interface Outcome {
  ok: boolean;
  stage: Stage;
  /** `ok`, a TLS alert name (`unknown_ca`), a SIP status (`488`), or an SRTP verdict (`auth_failure`). */
  reason: string;
  summary: string;
  /** Who decided a failed run: the party whose check refused. */
  decidedBy?: Party;
  /** Index of the step whose packet proves the failure (its `failure` is set): where the lab opens a failed run. */
  step?: number;
  /**
   * Set when the failure is an attack being refused (what was refused was the attacker's doing):
   * the trunk is not broken, a protection worked. Says which protection, in words.
   */
  attackStopped?: { by: string };
  /** What to change, when the run fails the way its scenario teaches. */
  remedy?: Remedy;
}

/**
 * One direction of a call's voice, as its receiver took it (the RTP or SRTP
 * packets; the RTCP reports beside them are not counted).
 */
export interface MediaTally {
  from: Party;
  to: Party;
  protocol: 'RTP' | 'SRTP';
  /** Packets the sender put on the wire. */
  sent: number;
  /** Packets the receiver accepted: authenticated and decrypted, or read in clear. */
  accepted: number;
  /** Packets it dropped because their authentication tag did not verify (RFC 3711 §3.3). */
  authFailures: number;
  /** Packets it dropped as replays: authentic, but an index it had already seen (RFC 3711 §3.3.2). */
  replays: number;
  /** Packets sent that never reached it (to an address nobody has, dropped on the way). */
  missing: number;
  /** Packets an attacker on the path could read (decrypt, or play in clear), when one is there. */
  attackerRead?: number;
}

/**
 * What one party hears of the call: the G.711 codes it plays out, in order
 * (8 kHz, RFC 3551 §4.5.14). The lab decodes them to PCM in the engine worker
 * and plays them with the Web Audio API.
 */
export interface CallAudio {
  party: Party;
  /** `voice`: the speech, decrypted or never encrypted; `noise`: SRTP ciphertext played as if it were G.711; `silence`: no media reached this party. */
  heard: 'voice' | 'noise' | 'silence';
  /** One line: why it sounds like that (`The attacker has no SRTP key: it plays ciphertext.`). */
  summary: string;
  law: 'pcmu' | 'pcma';
  /** Hex of the G.711 codes, in play-out order. */
  payload: string;
}

/** Where a Timeline read from a capture file (rather than run from a scenario) came from. */
export interface CaptureSource {
  /** The file's name. */
  name: string;
  /** Packets in the file. */
  packets: number;
  /** Packets of the trunk past the Timeline's limit, read by the diagnosis but not shown. */
  notShown: number;
  /** Packets between other hosts, or of protocols other than TCP and UDP, left out. */
  otherTraffic: number;
}

export interface Timeline {
  /** A scenario's id; `capture` for a Timeline read from a capture file. */
  scenario: string;
  seed: number;
  /** True when the run used real randomness and cannot be replayed. */
  live: boolean;
  /** Virtual time the run started, ISO 8601. */
  startedAt: string;
  steps: Step[];
  outcome: Outcome;
  /** The call as each party hears it, when the scenario carries media. */
  audio?: CallAudio[];
  /** The call's voice in each direction and what its receiver made of it, when the call carried media. */
  media?: MediaTally[];
  /**
   * The NSS key log (draft-ietf-tls-keylogfile §3) of the run's TLS connections,
   * when it has any: what lets a capture of the run be decrypted.
   */
  keyLog?: string;
  /** Set when the Timeline was read from a capture file. */
  capture?: CaptureSource;
}
