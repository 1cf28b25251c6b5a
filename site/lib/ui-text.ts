/**
 * Every piece of text the lab's interface shows, in one place, ready for
 * translation. Protocol content (step summaries, explanations, field notes)
 * comes from the engine; this is only the interface around it.
 */
import type { Party, Phase, Stage } from '../../sim/index';

const PARTY: Record<Party, string> = { pbx: 'PBX', attacker: 'Attacker', sbc: 'SBC' };

const PHASE: Record<Phase, string> = {
  tcp: 'TCP connection',
  tls: 'TLS handshake',
  registration: 'Registration',
  'call-setup': 'Call set-up',
  media: 'Media',
  'hang-up': 'Hang-up',
};

/** Where a run can end, in words: `failed at the TLS handshake`. */
const STAGE: Record<Stage, string> = {
  tcp: 'the TCP connection',
  tls: 'the TLS handshake',
  sip: 'SIP',
  sdp: 'the media offer (SDP)',
  srtp: 'the media (SRTP)',
  complete: 'the end of the call',
};

// One formatter for every count: `toLocaleString` builds a new one on each call, and a step of the lab
// names dozens of sizes and counts.
const COUNT = new Intl.NumberFormat('en-US');
const count = (n: number) => COUNT.format(n);
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

export const UI = {
  labName: 'Secure Trunk Lab',
  page: {
    title: 'Secure Trunk Lab',
    description: (carrier: string) =>
      `Watch a PBX and ${carrier}’s SBC set up a secure SIP trunk, packet by packet, while an attacker watches.`,
    skip: 'Skip to the lab',
    siteNav: 'Site',
    knowledgeBase: 'Knowledge base',
    heading: 'The lab',
    intro: (carrier: string) => `A virtual PBX calls ${carrier}’s SBC at`,
    introEnd: 'Press Next step to follow the call, and open any packet to read every byte.',
  },
  parties: PARTY,

  // Step controls
  controls: 'Step controls',
  scenario: 'Scenario',
  scenariosThatWork: 'The call goes through',
  scenariosThatFail: 'Something stops it',
  seed: 'Seed',
  seedHelp:
    'The same number replays the same bytes: the same keys, random values and packets, here or on anyone’s computer. Another number gives another run of the same scenario.',
  settings: 'Settings',
  settingsHint: 'seed, how long they talk, what if…',
  whatIfChanged: (changes: string) =>
    `You changed ${changes}: the description above is the scenario as it stands; this run follows your change.`,
  talk: 'Talk for',
  talkPhrase: 'the phrase (about 2 s)',
  talkSeconds: (s: number) => `${s} s (about ${count(s * 100)} media packets)`,
  talkChoices: [5, 10, 20],
  previous: 'Previous step',
  next: 'Next step',
  nextShort: 'Next',
  stepWord: ' step',
  play: 'Play',
  pause: 'Pause',
  restart: 'Restart',
  speed: 'Speed',
  speeds: [
    { value: 0.5, label: '0.5×' },
    { value: 1, label: '1×' },
    { value: 2, label: '2×' },
    { value: 4, label: '4×' },
  ],
  keyboardHint: 'Keys: ← and → step back and forward; ↑ and ↓ move through the ladder.',
  jumpToFailure: 'Jump to the failure',
  jumpToFailureShort: 'Failure',

  // Chapters
  chapters: 'Chapters',
  phases: PHASE,
  /** Chapter names for a phone's narrow bar. */
  phasesShort: {
    tcp: 'TCP',
    tls: 'TLS',
    registration: 'Register',
    'call-setup': 'Set-up',
    media: 'Media',
    'hang-up': 'Hang-up',
  } satisfies Record<Phase, string>,
  chapterName: (phase: Phase, first: number, last: number, current: boolean) =>
    `${PHASE[phase]}, steps ${first} to ${last}${current ? ', the current chapter' : ''}`,
  progress: (sent: number, total: number) => `${sent} of ${total} packets sent`,
  loading: 'Running the scenario…',
  stepOf: (n: number, total: number) => `Step ${n} of ${total}`,
  /** While the engine is still computing the run, the steps so far. */
  stepOfSoFar: (n: number, soFar: number) => `Step ${n} of ${soFar} so far…`,
  announceStep: (n: number, total: number | undefined, from: Party, to: Party, what: string) =>
    `Step ${n}${total === undefined ? '' : ` of ${total}`}: ${PARTY[from]} to ${PARTY[to]}, ${what}.`,
  announceRun: (what: string) => `Media starts: ${what}.`,
  announceEnd: (outcome: string) => `End of the run. ${outcome}`,
  expectedOutcome: (ok: boolean, stage: string, reason: string) =>
    ok ? 'Expected: the call succeeds.' : `Expected: fails at ${stage} with ${reason}.`,
  readArticle: 'Read the article',

  // What-if
  whatIf: 'What if…',
  whatIfHelp: 'Change a setting and the scenario runs again with the same seed.',

  // URL problems
  url: {
    notice: 'Some of the link could not be used:',
    unknownScenario: (id: string, shown: string) => `there is no scenario "${id}", so “${shown}” is shown`,
    badSeed: (text: string) => `the seed "${text}" is not a whole number, so seed 1 is used`,
    badStep: (text: string) => `the step "${text}" is not a step number, so the first step is shown`,
    badPacket: (text: string) => `the packet "${text}" is not a packet number`,
    badLens: (text: string) => `"${text}" is not PBX, Attacker or SBC, so the PBX's view is shown`,
    badField: (text: string) => `"${text}" is not a field name such as tls.handshake.extensions.key_share`,
    badWhatIf: (label: string, value: string) => `"${value}" is not a choice for ${label}`,
    badTalk: (text: string, max: number) => `"${text}" is not a number of seconds from 1 to ${max} to talk for`,
    stepTooFar: (step: number, total: number) => `this run has ${total} steps, not ${step}; the last is shown`,
  },

  // Ladder
  /** A packet's label: protocol and summary (`TLS ClientHello`), without saying the protocol twice. */
  stepLabel: (protocol: string, summary: string) =>
    summary === protocol || summary.startsWith(`${protocol} `) ? summary : `${protocol} ${summary}`,
  ladder: 'Packet ladder',
  ladderEmpty: 'No packet sent yet.',
  packetName: (n: number, from: Party, to: Party, what: string) => `${n}. ${PARTY[from]} to ${PARTY[to]}: ${what}`,
  /**
   * `SRTP and SRTCP, 257 packets both ways, 2.5 s, with 3 TCP ACKs`: the ACKs are the signalling
   * connection's, sent while the call talks; counted so that "packet n of m" adds up.
   */
  runLabel: (protocols: string[], packets: number, bothWays: boolean, ms: number, acks: number) =>
    `${protocols.join(' and ')}, ${plural(packets, 'packet', 'packets')}${bothWays ? ' both ways' : ''}, ${(ms / 1000).toFixed(1)} s${acks ? `, with ${plural(acks, 'TCP ACK', 'TCP ACKs')}` : ''}`,
  runName: (label: string, parties: string, open: boolean) =>
    `${label} between ${parties}; ${open ? 'shown below, press to hide' : 'press to show each packet'}`,
  runHolds: (n: number, of: number) => `packet ${n} of ${of} in this run is open`,
  runAt: (n: number, of: number) => `packet ${n} of ${of}`,
  notYet: 'not sent yet',
  and: ' and ',
  attackerSees: { all: 'attacker reads it', metadata: 'attacker sees metadata', none: '' },
  failed: 'failed',

  // Lens
  viewAs: 'View as',
  access: {
    all: 'reads all of it',
    metadata: 'sees metadata only',
    none: 'does not see this packet',
  },

  // Inspector
  inspector: 'Packet inspector',
  noPacket: 'Press Next step to send the first packet.',
  nobodyOnPath: 'Nobody is on the path in this run: no attacker sees any of its packets.',
  addEavesdropper: 'Run it again with an eavesdropper on the path',
  certificates: 'Certificates in this message',
  certificateClock: (party: Party, at: string, verdict: string) =>
    `The ${PARTY[party]} checked it by its own clock, ${at}: ${verdict}.`,
  validFor: (from: string, until: string) => `Valid from ${from} until ${until}.`,
  showFields: 'Show its fields',
  mediaGroup: 'The call’s voice',
  mediaDirection: (from: Party, to: Party, protocol: string, sent: number) =>
    `${PARTY[from]} → ${PARTY[to]}: ${plural(sent, `${protocol} packet`, `${protocol} packets`)} sent`,
  mediaTook: (to: Party, accepted: number, secure: boolean) =>
    `the ${PARTY[to]} ${secure ? 'decrypted and played' : 'played'} ${count(accepted)}`,
  authFailures: (n: number) => `dropped ${count(n)} that failed authentication`,
  replays: (n: number) => `dropped ${count(n)} replays`,
  missing: (n: number) => `${count(n)} never arrived`,
  attackerRead: (n: number) => `the attacker on the path read ${count(n)}`,
  selectedField: 'Selected field',
  treeHelp: 'Arrow keys move through the fields; → opens one, ← closes it.',
  route: (src: string, dst: string, transport: string) => `${src} → ${dst} over ${transport.toUpperCase()}`,
  at: (ms: number) => `at ${(ms / 1000).toFixed(3)} s`,
  size: (n: number) => plural(n, 'byte', 'bytes'),
  packetNumber: (n: number) => `Packet ${n}`,
  failure: 'Failure',
  explanation: 'What happens here',
  layers: 'Layers',
  onTheWire: 'On the wire',
  decryptedBy: (party: Party, title: string) => `${title}, as the ${PARTY[party]} reads it`,
  neverSaw: (party: Party) => `The ${PARTY[party]} never sees this packet.`,
  hex: 'Bytes',
  hexLabel: (title: string) => `${title}: bytes in hexadecimal`,
  hexHelp: 'Select bytes, or focus here and use the arrow keys, to open the field they belong to.',
  fields: 'Fields',
  fieldsLabel: (title: string) => `${title}: fields`,
  expandAll: 'Open all fields',
  collapseAll: 'Close all fields',
  byteAt: (offset: number, field: string | undefined) =>
    `Byte ${offset} (0x${offset.toString(16).padStart(4, '0')})${field ? `: ${field}` : ''}`,
  specLink: (spec: string) => `${spec} (opens the specification)`,
  showBody: 'Show fields and bytes',
  hideBody: 'Hide fields and bytes',
  copyHex: 'Copy as hex',
  copyText: 'Copy as text',
  copied: (what: string) => `Copied ${what} to the clipboard.`,
  copyFailed: 'The browser did not allow copying; select the text and copy it by hand.',
  copiedWhat: { hex: 'the bytes as hex', text: 'the fields as text' },

  // Outcome
  outcome: 'Outcome',
  outcomeOk: 'Outcome: success',
  outcomeFailed: (stage: Stage, reason: string) => `Outcome: failed at ${STAGE[stage]} (${reason})`,
  outcomeStopped: (stage: Stage, reason: string) => `Outcome: attack stopped at ${STAGE[stage]} (${reason})`,
  stoppedBy: 'What stopped it',
  decidedBy: (party: Party) => `The ${PARTY[party]} decided`,
  proof: (n: number, label: string, from: Party, to: Party) =>
    `The proof is packet ${n}: ${label}, ${PARTY[from]} to ${PARTY[to]}.`,
  showProof: (n: number) => `Show packet ${n}`,
  cause: 'Why',
  fix: 'What to change',
  lesson: 'What to take away',
  engineError: (message: string) => `The engine could not run this scenario: ${message}`,

  // Party panels
  holdings: 'What each party holds',
  holdingsOf: (party: Party) => `${PARTY[party]}: keys and checks`,
  keys: 'Keys and secrets',
  noKeys: 'No keys yet.',
  earlierKeys: (n: number) => `Show ${plural(n, 'earlier key', 'earlier keys')}`,
  derivedFrom: 'from',
  derivedHow: 'how',
  showChain: (name: string) => `Show how ${name} was derived`,
  inChain: 'in the chain',
  gotAt: (packet: number) => `packet ${packet}`,
  checks: 'Certificate checks',
  noChecks: 'No certificate checked yet.',
  checkVerdict: (subject: string, valid: boolean, reason: string) =>
    `${subject} certificate: ${valid ? 'valid' : `invalid (${reason})`}`,
  pass: 'pass',
  fail: 'fail',
  notes: 'Notes',

  // Audio
  audio: 'Hear the call',
  audioHelp: 'The same call, as each party plays it out.',
  playAs: (party: Party) => `Play as the ${PARTY[party]} hears it`,
  stopAs: (party: Party) => `Stop the ${PARTY[party]}'s audio`,
  heard: { voice: 'voice', noise: 'noise', silence: 'silence' },
  audioError: (message: string) => `The audio could not play: ${message}`,

  // Exports and fingerprint
  exports: 'Export this run',
  exportLabels: {
    pcapng: 'Capture (pcapng, TLS secrets inside)',
    keylog: 'TLS key log (NSS format)',
    mermaid: 'Sequence diagram (mermaid)',
    'media-pcap': 'Decrypted media (pcap)',
    timeline: 'Timeline (JSON)',
  },
  exportError: (message: string) => `The export failed: ${message}`,
  exported: (filename: string) => `Saved ${filename}.`,
  fingerprint: 'Run fingerprint',
  fingerprintHelp:
    'SHA-256 of every packet on the wire. The same scenario and seed give the same fingerprint anywhere.',
  copyFingerprint: 'Copy fingerprint',
  live: 'Live randomness: this run cannot be replayed.',

  // Theme
  theme: 'Theme',
  themes: { auto: 'Auto', light: 'Light', dark: 'Dark' },

  // Live step (the island articles embed)
  liveStep: (title: string, n: number) => `Live step: ${title}, step ${n}`,
  openInLab: 'Open this step in the lab',
  unknownStep: (label: string) => `This scenario has no step "${label}".`,
  stepOutOfRange: (n: number, total: number) => `This scenario has ${total} steps; step ${n} does not exist.`,
  unknownScenarioEmbed: (id: string) => `There is no scenario "${id}".`,

  // The compact live figure articles and embeds show (site/components/figure)
  figure: {
    step: (n: number) => `Step ${n}`,
    previous: 'Previous',
    next: 'Next',
    route: (from: Party, to: Party) => `${PARTY[from]} → ${PARTY[to]}`,
    running: 'Running the scenario to that step…',
    fieldPath: (name: string) => `Field path to ${name}`,
    inside: (name: string) => `Inside ${name}`,
    leaf: 'One value: nothing inside.',
    bytesOf: (first: number, last: number, total: number) =>
      first === last ? `Byte ${first} of ${total}` : `Bytes ${first}–${last} of ${total}`,
    noBytes: (at: number, total: number) => `No bytes: empty, at byte ${at} of ${total}`,
    onTheWire: 'on the wire',
    moreBytes: (n: number) => ` (${count(n)} more below)`,
    cannotRead: (party: Party, field: string) =>
      `The ${PARTY[party]} cannot read ${field} in this packet; this is what it has.`,
    expand: 'Full inspector',
    openInLab: 'Open in the lab',
    loadingInspector: 'Opening the inspector…',
  },

  // Embeds: /embed/SCENARIO/ in a help centre's iframe, the loader and the snippet button
  embed: {
    name: (title: string) => `${title}: a live step from Secure Trunk Lab`,
    frameTitle: (title: string, step: string) => `Secure Trunk Lab: ${title}, step ${step}`,
    openInLab: 'Open in the full lab',
    opensNewTab: '(opens in a new tab)',
    problems: 'This embed was given settings it cannot use:',
    badStep: (text: string) => `the step "${text}" is not a step number (a whole number from 1), so step 1 is shown`,
    badLens: (text: string) => `the lens "${text}" is not pbx, attacker or sbc, so the PBX's view is shown`,
    badField: (text: string) =>
      `the field "${text}" is not a field name (such as sip.via), so the packet's innermost layer is open`,
    badTheme: (text: string) => `the theme "${text}" is not dark or light, so the reader's own setting is used`,
    unknownScenario: (id: string) => `There is no scenario "${id}" to embed.`,
    noScenario: 'This embed does not name a scenario.',
    choose: 'Scenarios that can be embedded:',
    fixHint: 'Check the data-trunklab-scenario attribute, or the address of the frame.',
    copySnippet: 'Copy embed snippet',
    copySnippetFor: (n: number) => `Copy embed snippet for packet ${n}`,
    copiedSnippet: (n: number) => `Copied the embed snippet for packet ${n}. Paste it into a help article.`,
    snippetLabel: 'Embed snippet',
  },
} as const;
