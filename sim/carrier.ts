/**
 * The carrier profile: everything a carrier can change in one place — its
 * name, its SBC's host names, addresses and ports, its CA names, the TLS
 * versions and suites it accepts, the SRTP suites, and how customers
 * authenticate. The engine takes a profile as input; the site and the
 * `trunklab` command load the one in `content/carrier.json`.
 */

export type TlsVersionName = '1.2' | '1.3';

export type Tls13SuiteName = 'TLS_AES_128_GCM_SHA256' | 'TLS_AES_256_GCM_SHA384' | 'TLS_CHACHA20_POLY1305_SHA256';

export type Tls12SuiteName =
  | 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'
  | 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'
  | 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'
  | 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'
  | 'TLS_RSA_WITH_AES_128_CBC_SHA'
  | 'TLS_RSA_WITH_AES_256_CBC_SHA256';

export type SrtpSuiteName =
  | 'AES_CM_128_HMAC_SHA1_80'
  | 'AES_CM_128_HMAC_SHA1_32'
  | 'AES_256_CM_HMAC_SHA1_80'
  | 'AEAD_AES_128_GCM'
  | 'AEAD_AES_256_GCM';

export interface CarrierProfile {
  /** The carrier's name as customers know it. */
  name: string;
  /** The carrier's DNS domain. */
  domain: string;
  sbc: {
    /** Host name in the SBC certificate's subjectAltName and in the PBX's configuration. */
    host: string;
    ip: string;
    /** SIP over TLS (RFC 3261 §26.2: 5061 by default). */
    tlsPort: number;
    /** SIP over UDP or TCP without TLS. */
    plainPort: number;
    /** First port of the SBC's RTP range. */
    rtpPort: number;
    /** Last port of the SBC's RTP range, for the customer's firewall rules (the lab's SBC uses the first). */
    rtpPortLast?: number;
  };
  ca: {
    rootName: string;
    intermediateName: string;
  };
  tls: {
    versions: TlsVersionName[];
    tls13Suites: Tls13SuiteName[];
    tls12Suites: Tls12SuiteName[];
    /** The SBC asks the PBX for the certificate the carrier's CA signed. */
    requireClientCertificate: boolean;
  };
  srtp: {
    suites: SrtpSuiteName[];
    /** Reject offers of plain RTP (488 Not Acceptable Here). */
    required: boolean;
    /** Whether the SBC accepts an MKI in a=crypto (RFC 4568 §9.2). */
    acceptMki: boolean;
  };
  /** How the SBC knows which customer a request comes from. */
  auth: 'registration' | 'ip';
  /** The fictional customer used in examples. */
  customer: {
    name: string;
    pbxHost: string;
    /** The PBX's public address. */
    pbxIp: string;
    /** A private address a misconfigured PBX might advertise. */
    pbxPrivateIp: string;
    username: string;
    /** The demo password for digest authentication; examples only. */
    password: string;
    /** The customer's main number (E.164). */
    number: string;
  };
  /** Address the attacker uses when it is on the path. */
  attackerIp: string;
}
