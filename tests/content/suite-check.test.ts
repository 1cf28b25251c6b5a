/**
 * The "check a suite yourself" commands of the supported-suites article, run
 * against an `openssl s_server` configured like the carrier's SBC: the TLS
 * 1.3 and 1.2 suites of the carrier profile only, an ECDSA and an RSA
 * certificate (ECDHE_ECDSA and ECDHE_RSA suites need one each, RFC 8422
 * §5.3), and a client certificate required.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrier } from '../../site/components/docs/carrier-profile';
import { csrFlowCommands } from '../../site/components/docs/csr-flow';
import { opensslCipherList, OPENSSL_TLS12_NAMES } from '../../site/components/docs/openssl-suite-names';
import { suiteCheckCommand } from '../../site/components/docs/suite-check-commands';
import { OpenSslWorkbench, type ServerCertificate } from './openssl-workbench';
import type { Tls12SuiteName, Tls13SuiteName } from '../../sim/carrier';

describe('checking one suite against an SBC configured from the carrier profile', () => {
  let bench: OpenSslWorkbench;
  let ecdsa: ServerCertificate;
  let rsa: ServerCertificate;
  const sbcSettings = (): string[] => [
    '-ciphersuites',
    carrier.tls.tls13Suites.join(':'),
    '-cipher',
    opensslCipherList(carrier.tls.tls12Suites),
    '-dcert',
    rsa.cert,
    '-dkey',
    rsa.key,
    '-dcert_chain',
    rsa.chain!,
  ];

  beforeAll(() => {
    bench = new OpenSslWorkbench(carrier);
    const flow = csrFlowCommands(carrier);
    for (const step of [flow.keyEc, flow.csr]) expect(bench.shell(step.command).status).toBe(0);
    bench.signLeaf(flow.files.csr, `${bench.dir}/${flow.files.certificate}`);
    ecdsa = bench.makeServerCertificate(carrier.sbc.host, 'sbc-ecdsa');
    rsa = bench.makeServerCertificate(carrier.sbc.host, 'sbc-rsa', { keyType: 'rsa' });
  });
  afterAll(() => bench.dispose());

  const check = (version: '1.2' | '1.3', suite: Tls13SuiteName | Tls12SuiteName) =>
    bench.withSbc(
      ecdsa,
      (port) => bench.shell(suiteCheckCommand(carrier, version, suite, `127.0.0.1:${port}`)),
      sbcSettings(),
    );

  it.each(carrier.tls.tls13Suites)('TLS 1.3 negotiates %s', async (suite) => {
    const { result } = await check('1.3', suite);
    expect(result.status, result.out).toBe(0);
    expect(result.out).toContain('Protocol version: TLSv1.3');
    expect(result.out).toContain(`Ciphersuite: ${suite}`);
  });

  it.each(carrier.tls.tls12Suites)('TLS 1.2 negotiates %s', async (suite) => {
    const { result } = await check('1.2', suite);
    expect(result.status, result.out).toBe(0);
    expect(result.out).toContain('Protocol version: TLSv1.2');
    expect(result.out).toContain(`Ciphersuite: ${OPENSSL_TLS12_NAMES[suite]}`);
  });

  it('a suite the SBC does not accept ends in a handshake_failure alert, as the article says', async () => {
    const refused = (Object.keys(OPENSSL_TLS12_NAMES) as Tls12SuiteName[]).find(
      (s) => !carrier.tls.tls12Suites.includes(s),
    );
    expect(refused).toBeDefined();
    const { result } = await check('1.2', refused!);
    expect(result.status).not.toBe(0);
    expect(result.out).toMatch(/handshake failure/);
  });
});
