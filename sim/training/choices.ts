/**
 * The causes and fixes a trainee chooses from, by stage: one list per
 * stage, so the wrong options an exercise offers are ones a support engineer
 * would really weigh at that stage (a wrong root against a missing
 * intermediate against an expired certificate), not answers from another
 * part of the trunk. Each option says how a capture tells it apart: that is
 * the feedback a trainee reads after choosing it.
 */
import type { CarrierProfile } from '../carrier';
import type { TrainingStage } from '../scenarios/training';

/** Words, or words written for the carrier (its ports, its host names), as the scenarios' texts are. */
export type ChoiceWords = string | ((carrier: CarrierProfile) => string);

export interface ChoiceText {
  text: ChoiceWords;
  /** How the capture would show it: why it is, or is not, the answer here. */
  tell: ChoiceWords;
}

const TLS_CAUSES = {
  interception: {
    text: 'Something on the path answered the TLS connection with a certificate of its own (an attacker, or a firewall doing TLS inspection).',
    tell: 'The certificate the PBX receives is not the carrier’s chain: it is self-signed, or issued by a CA that is not the carrier’s, and the PBX ends with unknown_ca.',
  },
  'name-mismatch': {
    text: 'The certificate names another host than the one the PBX dialled.',
    tell: 'The chain leads to the carrier’s root, yet the PBX ends with bad_certificate: the subjectAltName lists another name.',
  },
  'sbc-certificate-expired': {
    text: 'The SBC’s certificate has expired.',
    tell: 'The PBX ends with certificate_expired, and the certificate’s notAfter is before today’s real date.',
  },
  'pbx-clock-wrong': {
    text: 'The PBX’s clock is wrong.',
    tell: 'The PBX ends with certificate_expired although the certificate’s dates include today: its own clock is outside them.',
  },
  'missing-intermediate': {
    text: 'The SBC sends its certificate without the issuing CA’s certificate.',
    tell: 'The SBC’s Certificate message holds one certificate, whose issuer is not in the message; the PBX ends with unknown_ca.',
  },
  'wrong-root': {
    text: 'The PBX trusts another root than the carrier’s.',
    tell: 'The SBC sends its whole chain up to the carrier’s root, and the PBX still ends with unknown_ca.',
  },
  'no-client-certificate': {
    text: 'The PBX has no client certificate configured.',
    tell: 'The PBX’s Certificate message is empty; the SBC ends with certificate_required (TLS 1.3) or handshake_failure (TLS 1.2).',
  },
  'client-certificate-wrong-ca': {
    text: 'The PBX presents a certificate the carrier’s CA did not issue.',
    tell: 'The SBC, not the PBX, ends with unknown_ca, right after the PBX’s Certificate message.',
  },
  'no-common-version': {
    text: 'The PBX and the SBC have no TLS version in common.',
    tell: 'The SBC answers the ClientHello at once with protocol_version; the versions the ClientHello offers are not the carrier’s.',
  },
  'no-common-cipher': {
    text: 'The PBX and the SBC have no cipher suite in common.',
    tell: 'The SBC answers the ClientHello at once with handshake_failure; none of the ClientHello’s cipher suites is on the carrier’s list.',
  },
  'wrong-port': {
    text: 'The PBX sends TLS to the SBC’s plain SIP port.',
    tell: (c) =>
      `The TCP connection opens, the ClientHello goes to port ${c.sbc.plainPort}, and no ServerHello ever comes back.`,
  },
  'pbx-certificate-revoked': {
    text: 'The carrier revoked the PBX’s certificate.',
    tell: 'The SBC, not the PBX, ends with certificate_revoked after the PBX’s Certificate message: the certificate’s serial number is on the issuing CA’s revocation list.',
  },
  'record-altered': {
    text: 'A device on the path altered a TLS record.',
    tell: 'The handshake completes; then the SBC ends with bad_record_mac after a record that arrived changed.',
  },
} satisfies Record<string, ChoiceText>;

const REGISTRATION_CAUSES = {
  'wrong-password': {
    text: 'The PBX’s trunk password is wrong.',
    tell: 'The SBC challenges with 401, the PBX answers with the right user name, and the SBC refuses with 403 Forbidden.',
  },
  'wrong-user-name': {
    text: 'The PBX registers with a user name that is not the trunk account.',
    tell: 'The username in the REGISTER’s Authorization header differs from the account the carrier gave.',
  },
  'ip-not-allowed': {
    text: 'The carrier authenticates the trunk by IP address, and the PBX’s address is not on its list.',
    tell: 'The SBC refuses the very first REGISTER with 403, without a 401 challenge.',
  },
  'wrong-domain': {
    text: 'The PBX registers to another domain than the carrier’s.',
    tell: 'The REGISTER’s request line and To header name a domain the SBC does not serve, and it answers 404 Not Found.',
  },
  'digest-algorithm-unsupported': {
    text: 'The PBX cannot compute the digest algorithm the carrier challenges with.',
    tell: 'The SBC’s 401 offers only algorithm=SHA-256, and the PBX never answers it with a second REGISTER.',
  },
  'nat-forgot-connection': {
    text: 'The customer’s NAT router forgot the PBX’s connection after it sat idle.',
    tell: 'Calls out work; the SBC’s INVITE on the registered connection gets no answer and is sent again and again.',
  },
  'register-blocked': {
    text: 'A firewall drops the PBX’s SIP before it reaches the SBC.',
    tell: 'Nothing comes back at all: no TCP handshake, or a REGISTER sent again and again with no answer.',
  },
} satisfies Record<string, ChoiceText>;

const CALL_SETUP_CAUSES = {
  'srtp-off': {
    text: 'The PBX’s media encryption is off, so it offers plain RTP.',
    tell: 'The INVITE’s SDP has m=audio … RTP/AVP and no a=crypto line; the SBC answers 488.',
  },
  'no-common-srtp-suite': {
    text: 'The PBX offers SRTP only with crypto suites the carrier does not accept.',
    tell: 'The INVITE’s SDP is RTP/SAVP, but every a=crypto line names a suite outside the carrier’s list; the SBC answers 488.',
  },
  'no-common-codec': {
    text: 'The PBX offers no codec the carrier accepts.',
    tell: 'The SDP is RTP/SAVP with an acceptable a=crypto line, but the m= line lists only payload types the carrier does not carry.',
  },
  'number-format': {
    text: 'The dialled number is not in the format the carrier expects.',
    tell: 'The SBC answers 404 Not Found (or 484 Address Incomplete), not 488: the INVITE’s Request-URI holds the number without + and the country code.',
  },
  'not-registered': {
    text: 'The PBX places calls before it has registered.',
    tell: 'The SBC challenges or refuses the INVITE (401 or 403); no 200 OK to a REGISTER comes before it.',
  },
  'caller-id-not-allowed': {
    text: 'The PBX presents a caller ID that is not one of the trunk’s numbers.',
    tell: 'The trunk registered (a 200 OK to the REGISTER), and the SBC refuses the INVITE with 403; its From or P-Asserted-Identity carries a number the carrier did not assign.',
  },
} satisfies Record<string, ChoiceText>;

const MEDIA_CAUSES = {
  'private-address': {
    text: 'The PBX advertises its private LAN address for signalling and media.',
    tell: 'The SDP’s c= line and the Contact header carry a 192.168.x.x address; the SBC’s audio goes there and nobody receives it.',
  },
  'srtp-altered': {
    text: 'A device on the path alters some SRTP packets.',
    tell: 'A few SRTP packets fail their authentication tag at the receiver, while the rest of the call plays.',
  },
  'srtp-duplicated': {
    text: 'SRTP packets arrive twice: copies sent again by something on the path.',
    tell: 'Packets that authenticate are dropped because their index was already received.',
  },
  'wrong-srtp-key': {
    text: 'The receiver decrypts with the wrong SRTP key.',
    tell: 'Every packet in one direction fails its authentication tag, not just a few.',
  },
  'rtp-ports-blocked': {
    text: 'The PBX’s firewall blocks the inbound RTP port range.',
    tell: 'The SDP carries the PBX’s public address and the SBC sends its audio there; the packets reach the public address and stop.',
  },
} satisfies Record<string, ChoiceText>;

export type CauseId =
  | keyof typeof TLS_CAUSES
  | keyof typeof REGISTRATION_CAUSES
  | keyof typeof CALL_SETUP_CAUSES
  | keyof typeof MEDIA_CAUSES;

/** The causes a trainee weighs at each stage. */
export const CAUSES: Record<TrainingStage, Partial<Record<CauseId, ChoiceText>>> = {
  tls: TLS_CAUSES,
  registration: REGISTRATION_CAUSES,
  'call-setup': CALL_SETUP_CAUSES,
  media: MEDIA_CAUSES,
};

/** The fixes, across stages: a wrong fix is often a right one for the neighbouring cause. */
export const FIXES = {
  'stop-interception': {
    text: 'Find out what intercepts the connection, and exclude the SBC from any TLS inspection.',
    tell: 'Right when the PBX is shown a certificate that is not the carrier’s chain at all.',
  },
  'dial-host-name': {
    text: 'Configure the trunk with the SBC’s host name instead of an address or an old name.',
    tell: 'Right when a genuine certificate names another host than the one dialled.',
  },
  'carrier-renews': {
    text: 'Ask the carrier to renew the SBC’s certificate, and keep verification on meanwhile.',
    tell: 'Right when the certificate’s notAfter has really passed.',
  },
  'set-clock': {
    text: 'Set the PBX’s clock and keep it set with NTP.',
    tell: 'Right when the certificate’s dates are fine and the PBX’s clock is not.',
  },
  'send-chain': {
    text: 'Send the chain, not just the certificate: the certificate first, then the issuing CA’s.',
    tell: 'Right when a Certificate message lacks the issuing CA’s certificate.',
  },
  'install-root': {
    text: 'Install the carrier’s root on the PBX and check its fingerprint.',
    tell: 'Right when the whole chain is sent and the PBX still does not trust its root.',
  },
  'configure-client-certificate': {
    text: 'Configure the certificate chain and key on the trunk’s TLS transport, with a key file the PBX can read.',
    tell: 'Right when the PBX answers the SBC’s CertificateRequest with an empty Certificate message.',
  },
  'use-carrier-signed-certificate': {
    text: 'Use the certificate the carrier signed from the PBX’s CSR.',
    tell: 'Right when the SBC refuses a client certificate from another CA.',
  },
  'enable-tls-versions': {
    text: 'Turn on the carrier’s TLS versions on the PBX, and update firmware that cannot.',
    tell: 'Right when the SBC answers the ClientHello with protocol_version.',
  },
  'allow-carrier-suites': {
    text: 'Allow at least one of the carrier’s cipher suites in the PBX’s TLS settings.',
    tell: 'Right when the SBC answers the ClientHello with handshake_failure.',
  },
  'tls-port': {
    text: (c) => `Set the trunk to port ${c.sbc.tlsPort} with transport TLS.`,
    tell: (c) => `Right when TLS goes to port ${c.sbc.plainPort} and nothing answers it.`,
  },
  'find-altering-device': {
    text: 'Find the device that alters traffic, by comparing captures taken at both ends.',
    tell: 'Right when authenticated data (a TLS record, a few SRTP packets) arrives changed.',
  },
  'turn-off-verification': {
    text: 'Turn off certificate verification on the PBX.',
    tell: 'Never: it makes the trunk connect by removing the check that stops a man in the middle.',
  },
  'reenter-credentials': {
    text: 'Enter the trunk’s user name and password again, exactly as the carrier gave them.',
    tell: 'Right when a 401 challenge is answered and still refused with 403.',
  },
  'add-ip-to-trunk': {
    text: 'Ask the carrier to add the PBX’s public address to the trunk.',
    tell: 'Right when the carrier authenticates by IP address and refuses without a challenge.',
  },
  'new-key-and-csr': {
    text: 'Make a new key and CSR on the PBX and have the carrier sign a new certificate.',
    tell: 'Right when the SBC refuses the PBX’s certificate as revoked.',
  },
  'update-digest-algorithms': {
    text: 'Update the PBX so that it answers SHA-256 digest challenges.',
    tell: 'Right when the challenge names only an algorithm the PBX cannot compute.',
  },
  'keepalive-within-nat-timeout': {
    text: 'Have the PBX send keepalives more often than the NAT router’s idle timeout.',
    tell: 'Right when calls from the SBC die on a connection the customer’s NAT has forgotten.',
  },
  'fix-rekeying': {
    text: 'Have the side that keeps the old SRTP key after a re-INVITE fixed by its vendor, and stop re-keying meanwhile.',
    tell: 'Right when every packet after a re-INVITE fails authentication at one end.',
  },
  'open-sip-port': {
    text: (c) => `Allow outbound TCP to the SBC’s port ${c.sbc.tlsPort} on the customer’s firewall.`,
    tell: 'Right when nothing comes back from the SBC at all.',
  },
  'enable-srtp': {
    text: 'Turn on SRTP with SDES keys for the trunk.',
    tell: 'Right when the INVITE offers RTP/AVP with no a=crypto line.',
  },
  'offer-aes-cm': {
    text: 'Offer AES_CM_128_HMAC_SHA1_80 among the trunk’s SRTP suites.',
    tell: 'Right when the offer has SRTP, but only suites the carrier does not accept.',
  },
  'allow-g711': {
    text: 'Allow G.711 (PCMU or PCMA) on the trunk.',
    tell: 'Right when the offer’s codecs, not its crypto, are what the carrier refuses.',
  },
  'dial-e164': {
    text: 'Add a dial-plan rule that sends called numbers in E.164: + and the country code.',
    tell: 'Right when the Request-URI holds a national number and the SBC answers 404.',
  },
  'enable-registration': {
    text: 'Turn on registration for the trunk, so that the PBX registers before it calls.',
    tell: 'Right when an INVITE is refused with 403 and no REGISTER ever went before it.',
  },
  'present-trunk-number': {
    text: 'Set the trunk’s outbound caller ID to a number the carrier assigned to it.',
    tell: 'Right when the trunk is registered and the INVITE presents a number that is not the trunk’s.',
  },
  'disable-srtp-requirement': {
    text: 'Ask the carrier to accept plain RTP on the trunk.',
    tell: 'Never: the carrier requires SRTP so that nobody on the path can listen to the calls.',
  },
  'set-external-address': {
    text: 'Set the PBX’s public address in its NAT (external address) settings for signalling and media.',
    tell: 'Right when Contact and the SDP’s c= line carry a private LAN address.',
  },
  'open-rtp-ports': {
    text: 'Open the RTP port range on the PBX’s firewall.',
    tell: 'Right when audio reaches the PBX’s public address and stops at its firewall.',
  },
  'ignore-replays': {
    text: 'Nothing on the trunk: SRTP already discards the copies. Chase the duplicating device if there are many.',
    tell: 'Right when authentic packets are dropped as replays.',
  },
  'update-pbx-keying': {
    text: 'Update the PBX’s firmware so that it takes the new SRTP key after a re-INVITE.',
    tell: 'Right when every packet in one direction fails authentication.',
  },
} satisfies Record<string, ChoiceText>;

export type FixId = keyof typeof FIXES;
