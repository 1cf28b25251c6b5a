/**
 * Where the knowledge base explains each thing a step shows: article paths
 * and heading anchors as the site gives them (github-slugger over the
 * heading text). tests/content checks that every link a run gives resolves.
 */
import type { ArticleLink } from '../timeline';

function link(article: string, title: string, anchor?: string, section?: string): ArticleLink {
  return { href: `/docs/${article}/${anchor ? `#${anchor}` : ''}`, title: section ? `${title}: ${section}` : title };
}

/** A section of the troubleshooting article, by its heading's anchor and text. */
export function troubleshooting(anchor: string, section: string): ArticleLink {
  return link('troubleshooting', TROUBLE, anchor, section);
}

const HANDSHAKE = 'The TLS handshake, step by step';
const SIP = 'What changes in your SIP';
const SRTP = 'SRTP and SDES';
const ATTACKS = 'Attacks and what stops each';
const TROUBLE = 'Troubleshooting secure trunks';

export const ARTICLES = {
  secureTrunk: link('secure-trunk', 'What a secure SIP trunk is'),
  tcp: link('troubleshooting', TROUBLE, 'tcp-and-port-problems', 'TCP and port problems'),
  wrongPort: link('troubleshooting', TROUBLE, 'wrong-port', 'Wrong port'),
  clientHello: link('tls-handshake', HANDSHAKE, 'clienthello', 'ClientHello'),
  clientHello12: link('tls-handshake', HANDSHAKE, 'clienthello-tls-12', 'ClientHello (TLS 1.2)'),
  serverHello: link('tls-handshake', HANDSHAKE, 'serverhello', 'ServerHello'),
  middleboxCcs: link(
    'tls-handshake',
    HANDSHAKE,
    'a-changecipherspec-that-changes-nothing',
    'A ChangeCipherSpec that changes nothing',
  ),
  encryptedExtensions: link('tls-handshake', HANDSHAKE, 'encryptedextensions', 'EncryptedExtensions'),
  certificateRequest: link('tls-handshake', HANDSHAKE, 'certificaterequest', 'CertificateRequest'),
  certificate: link('tls-handshake', HANDSHAKE, 'certificate', 'Certificate'),
  certificateVerify: link('tls-handshake', HANDSHAKE, 'certificateverify', 'CertificateVerify'),
  finished: link('tls-handshake', HANDSHAKE, 'finished', 'Finished'),
  pbxFlight: link(
    'tls-handshake',
    HANDSHAKE,
    'the-pbxs-certificate-certificateverify-and-finished',
    "The PBX's Certificate, CertificateVerify and Finished",
  ),
  firstSip: link('tls-handshake', HANDSHAKE, 'application-data-the-first-sip-message', 'the first SIP message'),
  serverFlight12: link(
    'tls-handshake',
    HANDSHAKE,
    'serverhello-certificate-serverkeyexchange-certificaterequest-serverhellodone',
    'the server’s TLS 1.2 flight',
  ),
  clientFlight12: link(
    'tls-handshake',
    HANDSHAKE,
    'certificate-clientkeyexchange-certificateverify-tls-12',
    'the client’s TLS 1.2 flight',
  ),
  finished12: link('tls-handshake', HANDSHAKE, 'changecipherspec-and-finished', 'ChangeCipherSpec and Finished'),
  afterHandshake: link('tls-handshake', HANDSHAKE, 'after-the-handshake', 'After the handshake'),
  verifying: link(
    'establishing-trust',
    'Establishing trust',
    'how-each-side-verifies-the-other',
    'How each side verifies the other',
  ),
  keyTransport: link(
    'public-key-cryptography',
    'Public-key cryptography, accurately',
    'encryption-with-a-public-key-key-transport',
    'Key transport',
  ),
  alert: link('glossary', 'Glossary', 'alert', 'Alert'),
  register: link('sip-over-tls', SIP, 'the-register', 'The REGISTER'),
  authorization: link('sip-over-tls', SIP, 'authorization', 'Authorization'),
  registration: link(
    'registration-vs-ip-auth',
    'Registration versus IP authentication',
    'registration',
    'Registration',
  ),
  invite: link('sip-over-tls', SIP, 'the-invite', 'The INVITE'),
  sdp: link('sip-over-tls', SIP, 'the-sdp-rtpsavp-and-acrypto', 'The SDP: RTP/SAVP and a=crypto'),
  afterSetup: link('sip-over-tls', SIP, 'after-the-call-is-set-up', 'After the call is set up'),
  keysTravel: link('srtp-and-sdes', SRTP, 'how-the-keys-travel', 'How the keys travel'),
  sdesWithoutTls: link(
    'srtp-and-sdes',
    SRTP,
    'why-sdes-without-tls-protects-nothing',
    'Why SDES without TLS protects nothing',
  ),
  rtpPacket: link('srtp-and-sdes', SRTP, 'what-an-rtp-packet-carries', 'What an RTP packet carries'),
  tag: link('srtp-and-sdes', SRTP, 'what-the-authentication-tag-protects', 'What the authentication tag protects'),
  replayProtection: link('srtp-and-sdes', SRTP, 'replay-protection', 'Replay protection'),
  notHidden: link('srtp-and-sdes', SRTP, 'what-srtp-does-not-hide', 'What SRTP does not hide'),
  srtcp: link('srtp-and-sdes', SRTP, 'srtcp', 'SRTCP'),
  eavesdropping: link('attacks', ATTACKS, 'eavesdropping', 'Eavesdropping'),
  mitm: link('attacks', ATTACKS, 'man-in-the-middle', 'Man in the middle'),
  tampering: link('attacks', ATTACKS, 'tampering', 'Tampering'),
  replay: link('attacks', ATTACKS, 'replay', 'Replay'),
  downgrade: link('attacks', ATTACKS, 'downgrade', 'Downgrade'),
  decryptLater: link('attacks', ATTACKS, 'record-now-decrypt-later', 'Record now, decrypt later'),
  privateContact: link('troubleshooting', TROUBLE, 'contact-with-a-private-ip', 'Contact with a private IP'),
  natIdle: link(
    'firewalls-and-nat',
    'Firewalls and NAT on a TLS trunk',
    'idle-connections-and-keepalives',
    'Idle connections and keepalives',
  ),
  incomingCall: link(
    'firewalls-and-nat',
    'Firewalls and NAT on a TLS trunk',
    'calls-towards-your-pbx',
    'Calls towards your PBX',
  ),
  digestAlgorithms: link(
    'digest-algorithms',
    'Digest algorithms',
    'one-challenge-per-algorithm',
    'One challenge per algorithm',
  ),
  revocation: link('certificate-lifecycle', 'Certificate lifecycle', 'revocation', 'Revocation'),
  rekey: link('srtp-mid-call', 'SRTP in the middle of a call', 'new-keys-in-a-re-invite', 'New keys in a re-INVITE'),
} satisfies Record<string, ArticleLink>;

/** The link for a scenario's own article, titled by the scenario. */
export function scenarioArticle(href: string, title: string): ArticleLink {
  return { href, title };
}
