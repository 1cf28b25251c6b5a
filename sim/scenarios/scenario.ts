/**
 * What a scenario is: a carrier profile, the parties' configuration, an
 * optional fault or attack, and what a trainee should learn from it. A
 * scenario is data: the runner (run-scenario.ts) interprets it through the
 * real TLS, SIP and SRTP code. The outcome a scenario expects is stated for
 * tests and the catalogue listing; the outcome a run reports always comes
 * from running the protocol code.
 */
import type { CarrierProfile, SrtpSuiteName, TlsVersionName } from '../carrier';
import type { CipherSuiteName } from '../tls/cipher-suites';
import type { ArticleLink, Outcome, Party } from '../timeline';
import type { DigestAlgorithm } from '../sip/digest';
import type { TrainingDefinition } from './training';

export interface ExpectedOutcome {
  ok: boolean;
  stage: Outcome['stage'];
  /** The reason code the run is expected to end with (`ok`, `unknown_ca`, `488`). */
  reason: string;
}

/**
 * A what-if the lab offers for a scenario: one setting a trainee can change
 * before re-running with the same seed (TLS 1.2 or 1.3, static RSA or ECDHE,
 * SRTP on or off, attacker on or off).
 */
export interface WhatIf {
  /** Key in `RunOptions.whatIf` and in the lab's URL: `tls`, `keyExchange`, `srtp`, `attacker`. */
  id: string;
  /** The setting, in words: `TLS version`. */
  label: string;
  choices: Array<{ value: string; label: string }>;
  /** The value the scenario runs with when none is given. */
  default: string;
}

export interface ScenarioInfo {
  id: string;
  title: string;
  /** One or two sentences: what happens. */
  summary: string;
  /** What a trainee should take away. */
  lesson: string;
  /** The article that explains it (site-relative). */
  article: string;
  expected: ExpectedOutcome;
  /** Settings the lab lets a trainee change and re-run, if any. */
  whatIf?: WhatIf[];
}

export interface RunOptions {
  seed: number;
  carrier: CarrierProfile;
  /** Use real randomness; the run cannot be replayed. */
  live?: boolean;
  /** Chosen what-if values by `WhatIf.id`; a scenario uses its defaults for the rest. */
  whatIf?: Record<string, string>;
  /** How long each side talks once the call is up, in ms (default: the spoken phrase, 2.56 s). */
  audioMs?: number;
}

// ---- the parties' configuration ---------------------------------------------------------------

/** Which certificate a PBX presents when the SBC asks for one. */
export type PbxCertificate =
  /** The one the carrier's issuing CA signed from the PBX's CSR. */
  | 'carrier-issued'
  /** None configured: the PBX answers the CertificateRequest with an empty list. */
  | 'none'
  /** One from the customer's own internal CA, which the carrier does not trust. */
  | 'customer-ca'
  /** The carrier-issued one after the carrier revoked it (its key leaked): still presented, now on the CA's CRL. */
  | 'revoked';

/** Which certificate the SBC presents. */
export type SbcCertificate =
  /** Its current certificate from the carrier's issuing CA. */
  | 'current'
  /** A certificate for its name from the carrier's CA whose notAfter has passed. */
  | 'expired';

/** The certificate an intercepting attacker answers with in the SBC's place. */
export type AttackerCertificate =
  /** Made by itself for the SBC's name. */
  | 'self-signed'
  /** For the SBC's name from a CA of its own (the PBX does not trust it). */
  | 'other-ca'
  /** Genuinely issued by the carrier's CA, but for the attacker's own host name. */
  | 'other-name'
  /** The SBC's real chain copied off the wire, without the private key. */
  | 'copied-sbc';

export interface PbxSetup {
  /** How the PBX sends SIP: over TLS (RFC 3261 §26.2), or in clear over UDP. */
  transport: 'tls' | 'udp';
  /** Which of the SBC's ports it dials: the TLS port (5061) or the plain SIP port (5060). */
  port: 'tls' | 'plain';
  tls: {
    /** Versions the PBX offers, most preferred first. */
    versions: TlsVersionName[];
    /** Cipher suites it offers; by default the engine's forward-secret ones for the versions offered. */
    suites?: CipherSuiteName[];
    /** The root it was configured to trust for the SBC's chain. */
    trusts: 'carrier-root' | 'other-root';
    /** Whether it checks the SBC's certificate at all (a PBX that does not is a real misconfiguration). */
    verifiesServer: boolean;
    certificate: PbxCertificate;
  };
  /** What the PBX's clock read when the run began, if it is wrong (ISO 8601). */
  clockSetTo?: string;
  media: {
    /** RTP/SAVP with SDES keys, or plain RTP/AVP. */
    offer: 'srtp' | 'rtp';
    /** SRTP suites offered, one a=crypto line each, in this order. */
    suites: SrtpSuiteName[];
  };
  /** The address it writes in Contact and in the SDP's c= line: its public one, or its LAN address. */
  contact: 'public' | 'private';
  /** The digest password it is configured with. */
  password: 'correct' | 'wrong';
  /**
   * Whether it registers before it calls when the carrier authenticates by registration
   * (default true); a trunk whose registration is switched off calls straight away.
   */
  registers?: boolean;
  /**
   * How it writes the number it calls in the INVITE's Request-URI: in E.164, `+` and the
   * country code (default), or as the national number a local phone dials.
   */
  dialling?: 'e164' | 'national';
  /** The digest algorithms its SIP stack can compute (default SHA-256 and MD5). */
  digestAlgorithms?: DigestAlgorithm[];
  /** If set, this long into the call it sends a re-INVITE with fresh SDES keys (a hold, a transfer, a refresh). */
  rekeyAfterMs?: number;
  /** Which calls the run has: the PBX calls out (default), or it registers and the SBC calls it. */
  calls?: 'outgoing' | 'incoming';
  /**
   * The registration's Expires, in seconds; when set, the PBX refreshes it
   * halfway through, and treats a refresh left unanswered for 32 s (Timer F,
   * RFC 3261 §17.1.2.2) as a dead connection: it opens a new one and registers
   * again (RFC 5626 §4.4).
   */
  registerExpires?: number;
  /** If set, it sends a CRLF keepalive ping this often on its connection (RFC 5626 §4.4.1). */
  keepaliveSeconds?: number;
}

export interface SbcSetup {
  certificate: SbcCertificate;
  /** Whether its Certificate message carries the issuing CA's certificate after its own. */
  sendsIntermediate: boolean;
  /** The digest algorithms its registrar challenges with, most preferred first (default SHA-256 only). */
  digestAlgorithms?: DigestAlgorithm[];
  /** Whether it checks client certificates against the issuing CA's current CRL (RFC 5280 §6.3). */
  checksCrl?: boolean;
  /**
   * A media engine that answers a re-INVITE's new keys but goes on decrypting
   * the PBX's audio with the key of the first offer.
   */
  keepsOldKeyOnRekey?: boolean;
  /** When a caller from the telephone network calls the customer: ms after the run starts, one call each. */
  incomingCallsAtMs?: number[];
}

/** What the attacker on the path does; with `none` it is not on the path at all. */
export type AttackerSetup =
  | { kind: 'none' }
  /** A tap: it records everything and learns what the bytes reveal. */
  | { kind: 'observe' }
  /** It answers the PBX's TLS connection itself, and relays to the SBC if the PBX goes on. */
  | { kind: 'intercept'; certificate: AttackerCertificate }
  /**
   * It flips one bit in each of `packets` packets from the PBX that carry its
   * SIP (a TLS record, or a datagram in clear) or its SRTP, after letting
   * `after` such packets pass; `bit` picks the bit, counted from the first bit
   * of the transport payload (wrapping around its length).
   */
  | { kind: 'tamper'; target: 'sip' | 'srtp'; packets: number; after?: number; bit?: number }
  /** It sends `packets` recorded SRTP packets from the PBX again, a little later. */
  | { kind: 'replay'; packets: number }
  /** It drops `packets` SRTP packets from the PBX. */
  | { kind: 'drop'; packets: number }
  /** It rewrites the INVITE's offer from RTP/SAVP to RTP/AVP and strips its keys (only possible on plain SIP). */
  | { kind: 'downgrade' }
  /** It records the call, then steals the SBC's private key and tries to decrypt the recording. */
  | { kind: 'steal-key' };

/** Carrier profile settings a scenario overrides (the rest come from the profile it runs with). */
export interface CarrierOverrides {
  tls?: Partial<CarrierProfile['tls']>;
  srtp?: Partial<CarrierProfile['srtp']>;
  auth?: CarrierProfile['auth'];
}

/** Everything a run of a scenario is set up from. */
export interface ScenarioSetup {
  carrier: CarrierOverrides;
  /** Which kind of keys the carrier's PKI uses: RSA for the RSA key exchange and ECDHE-RSA. */
  keys: 'ecdsa-p256' | 'rsa-2048';
  pbx: PbxSetup;
  sbc: SbcSetup;
  attacker: AttackerSetup;
  /** The customer's NAT router on the path (with no attacker there): how long it keeps an idle TCP connection. */
  customerNat?: { tcpIdleSeconds: number };
}

/** Changes a what-if choice makes to a setup: each part given replaces or extends the default's. */
export interface SetupPatch {
  carrier?: CarrierOverrides;
  keys?: ScenarioSetup['keys'];
  pbx?: {
    transport?: PbxSetup['transport'];
    port?: PbxSetup['port'];
    tls?: Partial<PbxSetup['tls']>;
    clockSetTo?: string;
    media?: Partial<PbxSetup['media']>;
    contact?: PbxSetup['contact'];
    password?: PbxSetup['password'];
    registers?: PbxSetup['registers'];
    dialling?: PbxSetup['dialling'];
    digestAlgorithms?: PbxSetup['digestAlgorithms'];
    rekeyAfterMs?: PbxSetup['rekeyAfterMs'];
    calls?: PbxSetup['calls'];
    registerExpires?: PbxSetup['registerExpires'];
    keepaliveSeconds?: PbxSetup['keepaliveSeconds'];
  };
  sbc?: Partial<SbcSetup>;
  attacker?: AttackerSetup;
  customerNat?: ScenarioSetup['customerNat'];
}

export interface WhatIfRule extends WhatIf {
  /** What each choice changes; the default choice may change nothing. */
  effects: Record<string, SetupPatch>;
}

/**
 * The words for a failure a scenario teaches: why a trunk fails this way and
 * what to change on a real PBX or SBC. The lab shows them beside a run that
 * fails this way; the troubleshooting article prints the same words. They
 * are advice, not an outcome: which failure a run had is read from the run.
 */
export interface RemedyDefinition {
  /**
   * The failures these words explain: the run's reason code and, when it
   * matters, who refused. By default, the reason the scenario expects.
   */
  when?: Array<{ reason: string; decidedBy?: Party }>;
  cause: (carrier: CarrierProfile) => string;
  fix: (carrier: CarrierProfile) => string;
  /** The troubleshooting article's section on it. */
  article: ArticleLink;
}

/** A scenario as the catalogue holds it: what it teaches, and how its run is set up. */
export interface ScenarioDefinition extends Omit<ScenarioInfo, 'whatIf'> {
  setup: ScenarioSetup;
  whatIf?: WhatIfRule[];
  /** For a scenario that fails: the words for its failure, the one the article prints first. */
  remedies?: RemedyDefinition[];
  /** For a scenario that fails: the exercise it makes, symptom first (training.ts). */
  training?: TrainingDefinition;
}
