/**
 * What each SIP header is for, and why it matters on a secure trunk. The
 * inspector shows these beside the header's bytes.
 */

interface HeaderNote {
  note: string;
  spec: string;
}

const NOTES: Record<string, HeaderNote> = {
  via: {
    note: 'The path the request took and where to send the response. On a secure trunk the transport is TLS (SIP/2.0/TLS).',
    spec: 'RFC 3261 §20.42',
  },
  from: { note: 'Who sent the request; its tag names the caller’s side of the dialog.', spec: 'RFC 3261 §20.20' },
  to: { note: 'Whom the request is for; the answerer adds a tag.', spec: 'RFC 3261 §20.39' },
  'call-id': { note: 'Identifies the call or registration across all its messages.', spec: 'RFC 3261 §20.8' },
  cseq: { note: 'Orders requests within a dialog and matches responses to them.', spec: 'RFC 3261 §20.16' },
  contact: {
    note: 'Where the sender wants later requests sent. On a secure trunk: a sips: URI or transport=tls, and a public address.',
    spec: 'RFC 3261 §20.10',
  },
  'max-forwards': { note: 'Limits how many hops the request may take.', spec: 'RFC 3261 §20.22' },
  'record-route': {
    note: 'Proxies that want to stay on the path of later requests; a sips: entry keeps them on TLS.',
    spec: 'RFC 3261 §20.30',
  },
  route: { note: 'The proxies a request must pass through.', spec: 'RFC 3261 §20.34' },
  'content-length': {
    note: 'Size of the body in bytes: how the receiver knows where the message ends.',
    spec: 'RFC 3261 §20.14',
  },
  'content-type': { note: 'What the body is: application/sdp for an offer or answer.', spec: 'RFC 3261 §20.15' },
  allow: { note: 'The methods the sender supports.', spec: 'RFC 3261 §20.5' },
  accept: { note: 'Body types the sender understands.', spec: 'RFC 3261 §20.1' },
  supported: { note: 'SIP extensions the sender supports.', spec: 'RFC 3261 §20.37' },
  'user-agent': { note: 'The software that sent the request.', spec: 'RFC 3261 §20.41' },
  server: { note: 'The software that answered.', spec: 'RFC 3261 §20.35' },
  expires: { note: 'How long, in seconds, the registration should last.', spec: 'RFC 3261 §20.19' },
  authorization: {
    note: 'The digest credentials answering the server’s challenge; the password itself never travels.',
    spec: 'RFC 3261 §20.7',
  },
  'www-authenticate': { note: 'The server’s digest challenge: realm and nonce.', spec: 'RFC 3261 §20.44' },
  'proxy-authenticate': { note: 'A proxy’s digest challenge.', spec: 'RFC 3261 §20.27' },
  'proxy-authorization': { note: 'Digest credentials for a proxy.', spec: 'RFC 3261 §20.28' },
  warning: {
    note: 'Why a request failed, in words: 305 means the media (SDP) was not acceptable.',
    spec: 'RFC 3261 §20.43',
  },
  require: { note: 'Extensions the receiver must support, or answer 420 Bad Extension.', spec: 'RFC 3261 §20.32' },
  'proxy-require': { note: 'Extensions every proxy on the path must support.', spec: 'RFC 3261 §20.29' },
  unsupported: { note: 'The extensions that were required but are not supported.', spec: 'RFC 3261 §20.40' },
  date: { note: 'When the message was sent; always in GMT.', spec: 'RFC 3261 §20.17' },
  subject: { note: 'A summary of the call, for people.', spec: 'RFC 3261 §20.36' },
  'retry-after': { note: 'How long to wait before trying again.', spec: 'RFC 3261 §20.33' },
  'min-expires': { note: 'The shortest registration the registrar accepts.', spec: 'RFC 3261 §20.23' },
  'p-asserted-identity': {
    note: 'The caller identity a trusted network vouches for; a trunk must not accept it from an untrusted peer.',
    spec: 'RFC 3325 §9.1',
  },
  privacy: { note: 'Asks the network to hide the caller’s identity from the called party.', spec: 'RFC 3323 §4.2' },
  identity: { note: 'A signed assertion of the calling number (STIR/SHAKEN PASSporT).', spec: 'RFC 8224 §4' },
};

export function describeHeader(name: string): Partial<HeaderNote> {
  const key = name.toLowerCase();
  return Object.hasOwn(NOTES, key) ? NOTES[key] : {};
}
