/**
 * The words of the lab's "Open a capture" panel, in one place, as ui-text.ts
 * holds the rest of the lab's.
 */
const number = (n: number) => n.toLocaleString('en-US');
const megabytes = (n: number) => `${(n / 1e6).toFixed(n < 10e6 ? 1 : 0)} MB`;

export const CAPTURE_TEXT = {
  title: 'Open a capture',
  help: 'Bring a real trunk in: a pcap or pcapng file and, unless the pcapng carries its own TLS secrets, the NSS key log (SSLKEYLOGFILE) its TLS sessions were recorded with. The files stay in this browser: the lab reads them here and sends nothing anywhere.',
  drop: 'Drop a capture and its key log here, or choose them.',
  dropZone: 'Drop files here',
  captureFile: 'Capture file',
  keyLogFile: 'Key log file (optional)',
  open: 'Open capture',
  cancel: 'Cancel',
  reading: 'Reading the capture',
  progress: (bytes: number, total: number, packets: number) =>
    `${megabytes(bytes)} of ${megabytes(total)} read, ${number(packets)} packets`,
  cancelled: 'Reading the capture was cancelled.',
  error: (message: string) => `The capture could not be opened: ${message}`,
  notCapture: (name: string) =>
    `${name} is not a pcap or pcapng file; drop it as the key log, or choose a capture to open.`,
  opened: (name: string, packets: number) => `Opened ${name}: ${number(packets)} packets.`,
  showing: (name: string) => `Showing the capture ${name}`,
  shownOf: (shown: number, packets: number, notShown: number) =>
    notShown > 0
      ? `The ladder holds the first ${number(shown)} of the trunk's packets; all ${number(packets)} were read for the diagnosis.`
      : `${number(shown)} of the capture's ${number(packets)} packets are the trunk's.`,
  roles:
    'The side that opens the TLS connection is shown as the PBX, the side that accepts it as the SBC; “Attacker” shows what anyone else on the path reads without the keys.',
  namesLegend: 'Names on the ladder',
  nameOf: { pbx: 'Name of the PBX side (TLS client)', sbc: 'Name of the SBC side (TLS server)' },
  role: { pbx: 'PBX', sbc: 'SBC' },
  connection: (pbx: string, client: string, sbc: string, server: string) => `${pbx} ${client} → ${sbc} ${server}`,
  secrets: (n: number, fromCapture: number) =>
    n === 0
      ? 'No TLS secrets: encrypted records are shown as they crossed the wire.'
      : `${number(n)} TLS secret${n === 1 ? '' : 's'}${fromCapture ? ', carried in the capture itself' : ''}.`,
  skipped: (n: number) =>
    `${number(n)} key log line${n === 1 ? ' was' : 's were'} not NSS key log lines and were skipped.`,
  failure: (packet: number, detail: string) => `Packet ${packet}: ${detail}`,
} as const;
