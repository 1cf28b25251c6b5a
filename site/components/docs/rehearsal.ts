/**
 * The commands of "Rehearse your go-live": a test CA (`trunklab ca`), the
 * PBX's key and CSR made with OpenSSL, and the test SBC (`trunklab sbc`),
 * filled in from the carrier profile and the file names `trunklab ca init`
 * writes (sim/cli/ca-files.ts), so the article names the files the command
 * really writes. tests/content/rehearsal-commands.test.ts runs them.
 *
 * The PBX examples are the knowledge base's (pbx-configs.ts) pointed at the
 * test SBC: a profile whose SBC is the rehearsal machine.
 */
import type { CarrierProfile } from '../../../sim/carrier';
import { caFiles } from '../../../sim/cli/ca-files';

/** Where the rehearsal SBC runs in the examples: a machine on the customer's own network. */
export const REHEARSAL_SBC = {
  host: 'sbc-rehearsal.harbourstreet.example',
  ip: '192.168.1.50',
  port: 5061,
  caDir: 'rehearsal-ca',
  recordDir: 'rehearsal-captures',
} as const;

/** The carrier profile with its SBC replaced by the rehearsal machine, for the PBX examples. */
export function rehearsalCarrier(carrier: CarrierProfile): CarrierProfile {
  return {
    ...carrier,
    sbc: { ...carrier.sbc, host: REHEARSAL_SBC.host, ip: REHEARSAL_SBC.ip, tlsPort: REHEARSAL_SBC.port },
  };
}

export interface RehearsalCommand {
  id: 'ca-init' | 'pbx-csr' | 'ca-sign' | 'sbc' | 'sbc-ip-auth' | 'sbc-md5';
  title: string;
  /** Shell text, exactly as shown; `\` continues a line. */
  command: string;
}

/** The file names a `trunklab ca init` folder holds, as the article refers to them. */
export function rehearsalFiles(carrier: CarrierProfile) {
  const files = caFiles(carrier, REHEARSAL_SBC.caDir);
  return {
    root: files.root.path,
    sbcChain: files.sbcChain.path,
    key: 'pbx.key',
    csr: 'pbx.csr',
    chain: 'pbx-chain.pem',
  };
}

export function rehearsalCommands(carrier: CarrierProfile): RehearsalCommand[] {
  const f = rehearsalFiles(carrier);
  const c = carrier.customer;
  const { host, ip, port, caDir, recordDir } = REHEARSAL_SBC;
  return [
    {
      id: 'ca-init',
      title: 'On the rehearsal machine: the test CA and the SBC’s certificate',
      command: `trunklab ca init ${caDir} --sbc-name ${host} --sbc-name ${ip}`,
    },
    {
      id: 'pbx-csr',
      title: 'On the PBX: its key and certificate signing request',
      command: [
        `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ${f.key}`,
        `openssl req -new -key ${f.key} -out ${f.csr} \\`,
        `  -subj "/CN=${c.pbxHost}" -addext "subjectAltName=DNS:${c.pbxHost}"`,
      ].join('\n'),
    },
    {
      id: 'ca-sign',
      title: 'On the rehearsal machine: the PBX’s certificate from its CSR',
      command: `trunklab ca sign ${f.csr} --out ${f.chain} --ca-dir ${caDir} --purpose client`,
    },
    {
      id: 'sbc',
      title: 'The test SBC, with digest registration, recording every session',
      command: [
        `trunklab sbc --listen 0.0.0.0:${port} --ca-dir ${caDir} \\`,
        `  --user ${c.username} --password 'YOUR-REHEARSAL-PASSWORD' --record ${recordDir}`,
      ].join('\n'),
    },
    {
      id: 'sbc-ip-auth',
      title: 'The same SBC with IP authentication instead',
      command: `trunklab sbc --listen 0.0.0.0:${port} --ca-dir ${caDir} --ip-auth ${c.pbxPrivateIp}/32 --record ${recordDir}`,
    },
    {
      id: 'sbc-md5',
      title: 'For a PBX that cannot skip a SHA-256 challenge: MD5 alone',
      command: `trunklab sbc --listen 0.0.0.0:${port} --ca-dir ${caDir} --user ${c.username} --password 'YOUR-REHEARSAL-PASSWORD' --digest MD5`,
    },
  ];
}

export function rehearsalCommand(carrier: CarrierProfile, id: RehearsalCommand['id']): RehearsalCommand {
  return rehearsalCommands(carrier).find((c) => c.id === id)!;
}
