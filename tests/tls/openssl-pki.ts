/**
 * Certificates for the interop tests, made by OpenSSL in a temporary folder
 * at test time: a root CA, server certificates (ECDSA P-256 and RSA-2048)
 * for sbc.interop.example and 127.0.0.1, client certificates (clientAuth),
 * a server certificate from another CA, and an expired one (issued with
 * `openssl ca`, which takes exact dates).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCertificatesPem, parsePrivateKeyPem } from '../../sim/pki/keys';
import type { TlsCredentials } from '../../sim/tls/config';

export const SERVER_NAME = 'sbc.interop.example';

export interface PemPair {
  cert: string;
  key: string;
}

export interface InteropPki {
  dir: string;
  ca: string;
  otherCa: string;
  server: { ec: PemPair; rsa: PemPair; otherCa: PemPair; expired: PemPair };
  client: { ec: PemPair; rsa: PemPair };
  anchors: Uint8Array[];
  credentials(pair: PemPair): TlsCredentials;
  dispose(): void;
}

const EXT = `
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
[server]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:${SERVER_NAME},IP:127.0.0.1
[client]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:pbx.interop.example
`;

const CA_CONF = (dir: string) => `
[ ca ]
default_ca = testca
[ testca ]
dir = ${dir}
database = ${dir}/index.txt
new_certs_dir = ${dir}
certificate = ${dir}/ca.crt
private_key = ${dir}/ca.key
serial = ${dir}/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = supplied
`;

export function buildInteropPki(): InteropPki {
  const dir = mkdtempSync(join(tmpdir(), 'trunklab-tls-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(join(dir, 'ext.cnf'), EXT);
  writeFileSync(join(dir, 'req.cnf'), `[req]\ndistinguished_name = dn\n[dn]\n${EXT}`);
  const newKey = (kind: 'ec' | 'rsa') =>
    kind === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
  const rootCa = (name: string, cn: string) =>
    run(
      'req',
      '-x509',
      ...newKey('ec'),
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      '3650',
      '-subj',
      `/CN=${cn}`,
      '-config',
      'req.cnf',
      '-extensions',
      'ca',
    );
  const request = (name: string, kind: 'ec' | 'rsa', cn: string) =>
    run(
      'req',
      ...newKey(kind),
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${cn}`,
      '-config',
      'req.cnf',
    );
  const leaf = (name: string, kind: 'ec' | 'rsa', cn: string, section: string, issuer = 'ca') => {
    request(name, kind, cn);
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${issuer}.crt`,
      '-CAkey',
      `${issuer}.key`,
      '-CAcreateserial',
      '-days',
      '365',
      '-sha256',
      '-out',
      `${name}.crt`,
      '-extfile',
      'ext.cnf',
      '-extensions',
      section,
    );
  };
  rootCa('ca', 'Interop Root CA');
  rootCa('other', 'Some Other CA');
  leaf('server-ec', 'ec', SERVER_NAME, 'server');
  leaf('server-rsa', 'rsa', SERVER_NAME, 'server');
  leaf('server-other', 'ec', SERVER_NAME, 'server', 'other');
  leaf('client-ec', 'ec', 'pbx.interop.example', 'client');
  leaf('client-rsa', 'rsa', 'pbx.interop.example', 'client');
  // Expired: valid through 2020 only.
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(join(dir, 'ca.cnf'), CA_CONF(dir));
  request('server-expired', 'ec', SERVER_NAME);
  run(
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-in',
    'server-expired.csr',
    '-out',
    'server-expired.crt',
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20210101000000Z',
    '-extfile',
    'ext.cnf',
    '-extensions',
    'server',
    '-notext',
  );

  const pair = (name: string): PemPair => ({ cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) });
  return {
    dir,
    ca: join(dir, 'ca.crt'),
    otherCa: join(dir, 'other.crt'),
    server: {
      ec: pair('server-ec'),
      rsa: pair('server-rsa'),
      otherCa: pair('server-other'),
      expired: pair('server-expired'),
    },
    client: { ec: pair('client-ec'), rsa: pair('client-rsa') },
    anchors: parseCertificatesPem(readFileSync(join(dir, 'ca.crt'), 'utf8')),
    credentials: (p) => ({
      chain: parseCertificatesPem(readFileSync(p.cert, 'utf8')),
      privateKey: parsePrivateKeyPem(readFileSync(p.key, 'utf8')),
    }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
