/**
 * A temporary folder where the articles' shell commands run exactly as a
 * reader would run them, with OpenSSL 3 standing in for everything outside
 * the reader's PBX: a test CA named as the carrier profile names the
 * carrier's, which signs certificates the way a carrier's CA would
 * (RFC 5280 §4.2.1.3 key usage, §4.2.1.9 basic constraints, §4.2.1.12
 * extended key usage), and `openssl s_server` on 127.0.0.1 standing in for
 * the SBC, demanding the PBX's certificate (mutual TLS, RFC 8446 §4.3.2).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CarrierProfile } from '../../sim/carrier';
import { csrFlowFiles, type CsrFlowFiles } from '../../site/components/docs/csr-flow';

const TRUNKLAB = fileURLToPath(new URL('../../bin/trunklab.js', import.meta.url));

export interface Issuer {
  cert: string;
  key: string;
}

export interface ServerCertificate {
  key: string;
  cert: string;
  /** The issuing CA certificate the server sends after its own; none, and it sends its own only. */
  chain?: string;
}

export interface ShellResult {
  status: number | null;
  out: string;
}

export class OpenSslWorkbench {
  readonly dir = mkdtempSync(join(tmpdir(), 'trunklab-docs-'));
  readonly ca = join(this.dir, 'carrier-ca');
  readonly bin = join(this.dir, 'bin');
  readonly files: CsrFlowFiles;
  /** The test carrier's issuing CA: signs the PBX's and the SBC's certificates. */
  readonly issuing: Issuer;

  constructor(readonly carrier: CarrierProfile) {
    this.files = csrFlowFiles(carrier);
    mkdirSync(this.ca);
    // `trunklab` as a reader who installed Secure Trunk Lab has it: a command on the PATH.
    mkdirSync(this.bin);
    writeFileSync(join(this.bin, 'trunklab'), `#!/bin/sh\nexec "${process.execPath}" "${TRUNKLAB}" "$@"\n`);
    chmodSync(join(this.bin, 'trunklab'), 0o755);
    // The root and issuing CA certificates land where the reader keeps them, named as the article names them.
    const root = { cert: join(this.dir, this.files.root), key: join(this.ca, 'root.key') };
    this.makeCa(carrier.ca.rootName, root);
    this.issuing = { cert: join(this.dir, this.files.issuing), key: join(this.ca, 'issuing.key') };
    this.makeCa(carrier.ca.intermediateName, this.issuing, root);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs an article's command text in the folder with `sh`, as a reader's shell would. */
  shell(command: string): ShellResult {
    const r = spawnSync('sh', ['-c', command], {
      cwd: this.dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PATH: `${this.bin}:${process.env.PATH}` },
    });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  }

  openssl(args: string[]): string {
    return execFileSync('openssl', args, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** A CA certificate: a self-signed root, or signed by `issuer`. */
  makeCa(name: string, ca: Issuer, issuer?: Issuer): void {
    this.openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', ca.key]);
    if (!issuer) {
      this.openssl([
        'req',
        '-x509',
        '-new',
        '-key',
        ca.key,
        '-subj',
        `/CN=${name}`,
        '-days',
        '3650',
        '-out',
        ca.cert,
        '-config',
        '/dev/null',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
        '-addext',
        'subjectKeyIdentifier=hash',
      ]);
      return;
    }
    const ext = join(this.ca, `${basename(ca.cert)}.ext`);
    writeFileSync(
      ext,
      'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
    );
    const csr = `${ca.cert}.csr`;
    this.openssl(['req', '-new', '-key', ca.key, '-subj', `/CN=${name}`, '-out', csr]);
    this.openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      issuer.cert,
      '-CAkey',
      issuer.key,
      '-CAcreateserial',
      '-days',
      '1825',
      '-extfile',
      ext,
      '-out',
      ca.cert,
    ]);
  }

  /** Signs a CSR as an end-entity certificate for TLS clients and servers, keeping its subjectAltName. */
  signLeaf(csr: string, out: string, issuer: Issuer = this.issuing): void {
    const ext = join(this.ca, 'leaf.ext');
    writeFileSync(
      ext,
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth,serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
    );
    this.openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      issuer.cert,
      '-CAkey',
      issuer.key,
      '-CAcreateserial',
      '-days',
      '397',
      '-copy_extensions',
      'copy',
      '-extfile',
      ext,
      '-out',
      out,
    ]);
  }

  /** A server certificate for `name` with an EC P-256 or RSA key. */
  makeServerCertificate(
    name: string,
    prefix: string,
    { issuer = this.issuing, keyType = 'ec' }: { issuer?: Issuer; keyType?: 'ec' | 'rsa' } = {},
  ): ServerCertificate {
    const key = join(this.ca, `${prefix}.key`);
    const csr = join(this.ca, `${prefix}.csr`);
    const cert = join(this.ca, `${prefix}.crt`);
    const keyArgs =
      keyType === 'ec'
        ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']
        : ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
    this.openssl(['genpkey', ...keyArgs, '-out', key]);
    this.openssl([
      'req',
      '-new',
      '-key',
      key,
      '-subj',
      `/O=${this.carrier.name}/CN=${name}`,
      '-addext',
      `subjectAltName=DNS:${name}`,
      '-out',
      csr,
    ]);
    this.signLeaf(csr, cert, issuer);
    return { key, cert, chain: issuer.cert };
  }

  /**
   * `openssl s_server` standing in for the SBC: mutual TLS against the test
   * root, one connection, on an ephemeral port. `extra` restricts versions
   * and suites, or adds a second certificate (`-dcert`).
   */
  async withSbc<T>(
    sbc: ServerCertificate,
    use: (port: number) => T,
    extra: string[] = [],
  ): Promise<{ result: T; log: string }> {
    const server = spawn(
      'openssl',
      [
        's_server',
        '-accept',
        '127.0.0.1:0',
        '-naccept',
        '1',
        '-cert',
        sbc.cert,
        '-key',
        sbc.key,
        ...(sbc.chain ? ['-cert_chain', sbc.chain] : []),
        '-Verify',
        '3',
        '-CAfile',
        join(this.dir, this.files.root),
        '-verify_return_error',
        ...extra,
      ],
      { cwd: this.dir, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let log = '';
    server.stdout.on('data', (d) => (log += d));
    server.stderr.on('data', (d) => (log += d));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`s_server did not start: ${log}`)), 10_000);
        const look = () => {
          const m = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(log);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        };
        server.stdout.on('data', look);
        server.stderr.on('data', look);
        server.on('exit', () => reject(new Error(`s_server exited: ${log}`)));
      });
      const result = use(port);
      // Let the server write what it verified before it is stopped.
      await new Promise((r) => setTimeout(r, 200));
      return { result, log };
    } finally {
      server.kill();
    }
  }
}
