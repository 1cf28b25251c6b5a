/**
 * The PKI of a rehearsal, made as a PBX administrator makes it: `trunklab ca
 * init` with the SBC's certificate for 127.0.0.1, the PBX's own key and CSR
 * by OpenSSL, and its certificate from `trunklab ca sign`. Shared by the
 * tests and the bench that run `trunklab sbc` against real clients.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { trunklab } from './trunklab';

export interface RehearsalPki {
  /** The `trunklab ca init` folder. */
  ca: string;
  root: string;
  sbcChain: string;
  sbcKey: string;
  pbxKey: string;
  /** The PBX's certificate, then the issuing CA's. */
  pbxChain: string;
}

export async function makeRehearsalPki(dir: string): Promise<RehearsalPki> {
  const ca = join(dir, 'ca');
  const init = await trunklab(['ca', 'init', ca, '--sbc-name', '127.0.0.1']);
  if (init.status !== 0) throw new Error(`ca init failed: ${init.stderr}`);
  const pbxKey = join(dir, 'pbx.key');
  const csr = join(dir, 'pbx.csr');
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', pbxKey]);
  openssl(['req', '-new', '-key', pbxKey, '-out', csr, '-subj', '/CN=pbx.example.net']);
  const pbxChain = join(dir, 'pbx-chain.pem');
  const signed = await trunklab(['ca', 'sign', csr, '--out', pbxChain, '--ca-dir', ca]);
  if (signed.status !== 0) throw new Error(`ca sign failed: ${signed.stderr}`);
  return {
    ca,
    root: join(ca, 'quillfeather-root-ca.pem'),
    sbcChain: join(ca, 'sbc-chain.pem'),
    sbcKey: join(ca, 'sbc.key'),
    pbxKey,
    pbxChain,
  };
}
