/**
 * pki/: the carrier's certificates and the checks a TLS peer makes on them.
 *
 * - keys.ts: private keys from PEM, public keys from certificates, PEM chains.
 * - validate.ts: path validation with reason codes and a trace (RFC 5280 §6, RFC 6125).
 * - cast.ts: the seeded carrier PKI (root, intermediate, SBC, PBX via CSR, the attacker's certificates).
 * - certificate-fields.ts: a certificate's DER as an annotated field tree for the packet inspector.
 */
export * from './pem';
export * from './certificate';
export * from './keys';
export * from './host-name';
export * from './validate';
export * from './revocation';
export * from './cast';
export { cryptoKeyPair, deterministicCrypto } from './deterministic-crypto';
export { certificateFields, readCertificateFields } from './certificate-fields';
