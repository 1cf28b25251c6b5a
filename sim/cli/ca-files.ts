/**
 * The files of a `trunklab ca init` folder, named as the knowledge base's
 * certificate articles name the carrier's (`quillfeather-root-ca.pem`), and
 * what each is for: `ca init` prints these sentences, `ca sign` and
 * `trunklab sbc` read the files.
 */
import { join } from 'node:path';
import type { CarrierProfile } from '../carrier';

export interface CaFile {
  path: string;
  /** What the file is for, in a sentence a PBX administrator understands. */
  purpose: string;
  secret: boolean;
}

export interface CaFiles {
  root: CaFile;
  rootKey: CaFile;
  issuing: CaFile;
  issuingKey: CaFile;
  sbcChain: CaFile;
  sbcKey: CaFile;
}

export function caFiles(carrier: CarrierProfile, dir: string): CaFiles {
  const slug = carrier.domain.split('.')[0];
  const file = (name: string, purpose: string, secret = false): CaFile => ({ path: join(dir, name), purpose, secret });
  return {
    root: file(
      `${slug}-root-ca.pem`,
      'the root CA’s certificate: install it on the PBX as the only CA it trusts for the trunk',
    ),
    rootKey: file(
      `${slug}-root-ca.key`,
      'the root CA’s key: it signed the issuing CA and nothing else (a carrier keeps it offline)',
      true,
    ),
    issuing: file(
      `${slug}-issuing-ca.pem`,
      'the issuing CA’s certificate: it signs the SBC’s and the PBX’s certificates',
    ),
    issuingKey: file(`${slug}-issuing-ca.key`, 'the issuing CA’s key: `trunklab ca sign` signs with it', true),
    sbcChain: file('sbc-chain.pem', 'the SBC’s certificate, then the issuing CA’s: what `trunklab sbc` presents'),
    sbcKey: file('sbc.key', 'the SBC’s private key', true),
  };
}
