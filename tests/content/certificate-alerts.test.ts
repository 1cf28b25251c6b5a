/**
 * The alert OpenSSL 3 sends for each certificate failure of the
 * establishing-trust table (certificate-failures.ts), found by running it:
 * `openssl s_client` as the PBX against `openssl s_server` as the SBC, the
 * SBC demanding the PBX's certificate. RFC 8446 §6.2 leaves some choice, and
 * the table states both the lab's alert and OpenSSL's; this test holds the
 * OpenSSL column to what OpenSSL does, and checks the one failure the table
 * leaves to the prose (a certificate whose extended key usage forbids the
 * purpose: unsupported_certificate).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { carrier } from '../../site/components/docs/carrier-profile';
import { csrFlowCommands } from '../../site/components/docs/csr-flow';
import { CERTIFICATE_FAILURES } from '../../site/components/docs/certificate-failures';
import { OpenSslWorkbench, type Issuer, type ServerCertificate } from './openssl-workbench';

interface Trial {
  server: () => ServerCertificate;
  /** Options for s_client beyond the connection: which root it trusts, which certificate it presents. */
  client: () => string[];
}

describe('the alert OpenSSL sends for each certificate failure', () => {
  let bench: OpenSslWorkbench;
  let sbc: ServerCertificate;
  let otherRoot: Issuer;
  const files = () => bench.files;
  const host = carrier.sbc.host;

  beforeAll(() => {
    bench = new OpenSslWorkbench(carrier);
    const flow = csrFlowCommands(carrier);
    for (const step of [flow.keyEc, flow.csr]) expect(bench.shell(step.command).status).toBe(0);
    bench.signLeaf(flow.files.csr, join(bench.dir, flow.files.certificate));
    sbc = bench.makeServerCertificate(host, 'sbc');
    otherRoot = { cert: join(bench.dir, 'other-root.pem'), key: join(bench.ca, 'other-root.key') };
    bench.makeCa('Elsewhere Root CA', otherRoot);
  });
  afterAll(() => bench.dispose());

  const pbx = () => ['-cert', files().certificate, '-key', files().key, '-cert_chain', files().issuing];
  const trusting = (root: string) => ['-CAfile', root];

  /** The first fatal alert of a handshake, and who sent it. */
  async function alertOf(t: Trial): Promise<{ by: 'client' | 'server'; alert: string } | undefined> {
    const { result } = await bench.withSbc(t.server(), (port) =>
      bench.shell(
        [
          `openssl s_client -connect 127.0.0.1:${port} -servername ${host} -verify_hostname ${host}`,
          '-verify_return_error -msg',
          ...t.client(),
          '-ign_eof </dev/null',
        ].join(' '),
      ),
    );
    const m = /(>>>|<<<) TLS 1\.[23], Alert \[length 0002\], fatal (\w+)/.exec(result.out);
    return m ? { by: m[1] === '>>>' ? 'client' : 'server', alert: m[2] } : undefined;
  }

  const trials: Record<string, Trial> = {
    'wrong-root-installed': { server: () => sbc, client: () => [...trusting(otherRoot.cert), ...pbx()] },
    'mitm-self-signed': {
      server: () => {
        const key = join(bench.ca, 'self.key');
        const cert = join(bench.ca, 'self.crt');
        bench.openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
        bench.openssl([
          'req',
          '-x509',
          '-new',
          '-key',
          key,
          '-subj',
          `/CN=${host}`,
          '-addext',
          `subjectAltName=DNS:${host}`,
          '-days',
          '30',
          '-out',
          cert,
        ]);
        return { key, cert };
      },
      client: () => [...trusting(join(bench.dir, files().root)), ...pbx()],
    },
    'missing-intermediate': {
      server: () => ({ ...sbc, chain: undefined }),
      client: () => [...trusting(join(bench.dir, files().root)), ...pbx()],
    },
    'expired-sbc-cert': {
      server: () => sbc,
      client: () => [
        ...trusting(join(bench.dir, files().root)),
        ...pbx(),
        '-attime',
        String(Date.parse('2099-01-01') / 1000),
      ],
    },
    'pbx-clock-skew': {
      server: () => sbc,
      client: () => [
        ...trusting(join(bench.dir, files().root)),
        ...pbx(),
        '-attime',
        String(Date.parse('2019-01-01') / 1000),
      ],
    },
    'mitm-wrong-name': {
      server: () => bench.makeServerCertificate(`relay.${carrier.domain}`, 'other-name'),
      client: () => [...trusting(join(bench.dir, files().root)), ...pbx()],
    },
    'no-client-cert': { server: () => sbc, client: () => trusting(join(bench.dir, files().root)) },
    'client-cert-wrong-ca': {
      server: () => sbc,
      client: () => {
        const other = bench.makeServerCertificate(carrier.customer.pbxHost, 'pbx-other', { issuer: otherRoot });
        return [...trusting(join(bench.dir, files().root)), '-cert', other.cert, '-key', other.key];
      },
    },
  };

  it.each(CERTIFICATE_FAILURES.map((row) => [row.scenario, row] as const))(
    '%s: OpenSSL sends what the table says',
    async (scenario, row) => {
      const trial = trials[scenario];
      expect(trial, `a way to make OpenSSL fail like ${scenario}`).toBeDefined();
      const seen = await alertOf(trial);
      expect(seen?.alert).toBe(row.openssl);
      // The checker that fails is the one the table means: the PBX's checks end with its alert, the SBC's with the SBC's.
      expect(seen?.by).toBe(/client|PBX/.test(row.check) ? 'server' : 'client');
    },
  );

  it('a server certificate for TLS clients only: unsupported_certificate', async () => {
    const ext = join(bench.ca, 'client-only.ext');
    writeFileSync(
      ext,
      `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:${host}\n`,
    );
    const key = join(bench.ca, 'client-only.key');
    const csr = join(bench.ca, 'client-only.csr');
    const cert = join(bench.ca, 'client-only.crt');
    bench.openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
    bench.openssl(['req', '-new', '-key', key, '-subj', `/CN=${host}`, '-out', csr]);
    bench.openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      bench.issuing.cert,
      '-CAkey',
      bench.issuing.key,
      '-CAcreateserial',
      '-days',
      '30',
      '-extfile',
      ext,
      '-out',
      cert,
    ]);
    const seen = await alertOf({
      server: () => ({ key, cert, chain: bench.issuing.cert }),
      client: () => [...trusting(join(bench.dir, files().root)), ...pbx(), '-purpose', 'sslserver'],
    });
    expect(seen).toEqual({ by: 'client', alert: 'unsupported_certificate' });
  });
});
