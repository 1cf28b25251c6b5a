/**
 * A certificate test matrix made by OpenSSL at test time, in a temporary
 * folder: one chain per reason code, good chains, wildcards, IP addresses,
 * a Common-Name-only certificate, ECDSA and RSA (PKCS #1 v1.5 and PSS), and a
 * certificate the issuing CA revoked, with the CRL `openssl ca -gencrl` makes.
 *
 * Certificates are issued with `openssl ca`, which takes exact validity
 * dates, so every case is judged at one fixed time (`AT`) and the verdicts
 * never depend on the day the tests run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CertificateReason } from '../../sim/pki/validate';

export const AT = '2026-11-26T09:00:00Z';

export interface MatrixCase {
  name: string;
  /** PEM file, leaf first. */
  chain: string;
  /** PEM file of trusted CAs. */
  ca: string;
  host?: string;
  purpose: 'server' | 'client';
  expect: CertificateReason;
  /** What `openssl verify` says, where it words the same failure differently. */
  openssl?: string;
  /** PEM file of a CRL the verifier holds (checked with `openssl verify -crl_check`). */
  crl?: string;
}

export interface Matrix {
  dir: string;
  cases: MatrixCase[];
  /** Paths of things the unreadable-input tests use. */
  files: { rootPem: string; leafKey: string; leafDer: string; csr: string };
  dispose(): void;
}

const EXTENSIONS = `
[root]
basicConstraints = critical,CA:TRUE,pathlen:1
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
[intermediate_no_certsign]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature
[other_root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign
[server]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:sbc.test.example,IP:192.0.2.10,IP:2001:db8::10
[wildcard]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.trunks.test.example
[cn_only]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
[client]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:pbx.test.example
[non_repudiation_only]
basicConstraints = CA:FALSE
keyUsage = critical,nonRepudiation
extendedKeyUsage = serverAuth
subjectAltName = DNS:sbc.test.example
`;

/** Builds the matrix; call `dispose()` when done. */
export function buildOpenSslMatrix(): Matrix {
  const dir = mkdtempSync(join(tmpdir(), 'trunklab-pki-matrix-'));
  const p = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(p('ext.cnf'), EXTENSIONS);
  mkdirSync(p('issued'));
  writeFileSync(p('index.txt'), '');
  writeFileSync(p('serial'), '1000\n');
  writeFileSync(
    p('ca.cnf'),
    `[ca]\ndefault_ca = ca_default\n[ca_default]\ndatabase = ${p('index.txt')}\nnew_certs_dir = ${p('issued')}\n` +
      `serial = ${p('serial')}\ndefault_md = sha256\npolicy = any\nunique_subject = no\nemail_in_dn = no\n` +
      `[any]\ncommonName = supplied\norganizationName = optional\n`,
  );

  const ecKey = (name: string) =>
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', p(name));
  const rsaKey = (name: string) =>
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', p(name));
  const dates = (from: string, to: string) => ['-startdate', from, '-enddate', to];
  /** Issues `name.crt` for key `key` with subject `subject`, signed by `issuer` (or itself). */
  const issue = (
    name: string,
    key: string,
    subject: string,
    ext: string,
    issuer: { crt: string; key: string } | 'self',
    validity = dates('20200101000000Z', '20391231235959Z'),
    extra: string[] = [],
  ) => {
    openssl('req', '-new', '-key', p(key), '-subj', subject, '-out', p(`${name}.csr`));
    const signer =
      issuer === 'self' ? ['-selfsign', '-keyfile', p(key)] : ['-cert', p(issuer.crt), '-keyfile', p(issuer.key)];
    openssl(
      'ca',
      '-batch',
      '-config',
      p('ca.cnf'),
      '-notext',
      ...signer,
      '-in',
      p(`${name}.csr`),
      '-out',
      p(`${name}.crt`),
      ...validity,
      '-extfile',
      p('ext.cnf'),
      '-extensions',
      ext,
      ...extra,
    );
  };
  const pem = (name: string) => readFileSync(p(`${name}.crt`), 'utf8');
  const chain = (file: string, ...names: string[]) => {
    writeFileSync(p(file), names.map(pem).join(''));
    return p(file);
  };

  ecKey('root.key');
  ecKey('intermediate.key');
  ecKey('leaf.key');
  ecKey('other.key');
  ecKey('forger.key');
  issue('root', 'root.key', '/O=Test Carrier/CN=Test Root CA', 'root', 'self');
  const rootCa = { crt: 'root.crt', key: 'root.key' };
  issue('intermediate', 'intermediate.key', '/O=Test Carrier/CN=Test Issuing CA', 'intermediate', rootCa);
  const issuing = { crt: 'intermediate.crt', key: 'intermediate.key' };

  issue('server', 'leaf.key', '/CN=sbc.test.example', 'server', issuing);
  issue('wildcard', 'leaf.key', '/CN=*.trunks.test.example', 'wildcard', issuing);
  issue('cn_only', 'leaf.key', '/CN=sbc.test.example', 'cn_only', issuing);
  issue('client', 'leaf.key', '/CN=pbx.test.example', 'client', issuing);
  issue('expired', 'leaf.key', '/CN=sbc.test.example', 'server', issuing, dates('20250101000000Z', '20260301000000Z'));
  issue(
    'not_yet_valid',
    'leaf.key',
    '/CN=sbc.test.example',
    'server',
    issuing,
    dates('20270101000000Z', '20280101000000Z'),
  );
  issue('self_signed', 'leaf.key', '/CN=sbc.test.example', 'server', 'self');
  issue('other_root', 'other.key', '/O=Elsewhere/CN=Elsewhere Root CA', 'other_root', 'self');
  issue('other_leaf', 'leaf.key', '/CN=sbc.test.example', 'server', { crt: 'other_root.crt', key: 'other.key' });
  issue('bad_ku', 'leaf.key', '/CN=sbc.test.example', 'non_repudiation_only', issuing);
  // A leaf signed by a certificate that is not a CA: the good server certificate "issues" another.
  issue('under_leaf', 'other.key', '/CN=sbc.test.example', 'server', { crt: 'server.crt', key: 'leaf.key' });
  // pathlen 0 on the issuing CA forbids a further CA below it.
  issue('sub_ca', 'other.key', '/O=Test Carrier/CN=Test Sub CA', 'intermediate', issuing);
  issue('below_sub_ca', 'leaf.key', '/CN=sbc.test.example', 'server', { crt: 'sub_ca.crt', key: 'other.key' });
  // A CA whose keyUsage does not include keyCertSign.
  issue('no_certsign_ca', 'other.key', '/O=Test Carrier/CN=Test Signing-Only CA', 'intermediate_no_certsign', rootCa);
  issue('under_no_certsign', 'leaf.key', '/CN=sbc.test.example', 'server', {
    crt: 'no_certsign_ca.crt',
    key: 'other.key',
  });
  // A forger with its own key and a CA certificate that copies the issuing CA's name.
  issue('forger_ca', 'forger.key', '/O=Test Carrier/CN=Test Issuing CA', 'intermediate', 'self');
  issue('forged', 'leaf.key', '/CN=sbc.test.example', 'server', { crt: 'forger_ca.crt', key: 'forger.key' });
  // A leaf the issuing CA revoked (key compromise), and the CA's CRL, current at AT (RFC 5280 §5).
  issue('revoked', 'leaf.key', '/CN=sbc.test.example', 'server', issuing);
  const caSigner = ['-config', p('ca.cnf'), '-cert', p(issuing.crt), '-keyfile', p(issuing.key)];
  openssl('ca', ...caSigner, '-revoke', p('revoked.crt'), '-crl_reason', 'keyCompromise');
  openssl(
    'ca',
    ...caSigner,
    '-gencrl',
    '-crl_lastupdate',
    '20261101000000Z',
    '-crl_nextupdate',
    '20261231000000Z',
    '-out',
    p('issuing-crl.pem'),
  );

  // RSA: a root and leaves signed with PKCS #1 v1.5 and with PSS.
  rsaKey('rsa_root.key');
  rsaKey('rsa_leaf.key');
  issue('rsa_root', 'rsa_root.key', '/O=Test Carrier/CN=Test RSA Root CA', 'root', 'self');
  const rsaRoot = { crt: 'rsa_root.crt', key: 'rsa_root.key' };
  issue('rsa_server', 'rsa_leaf.key', '/CN=sbc.test.example', 'server', rsaRoot);
  issue('rsa_pss_server', 'rsa_leaf.key', '/CN=sbc.test.example', 'server', rsaRoot, undefined, [
    '-sigopt',
    'rsa_padding_mode:pss',
    '-sigopt',
    'rsa_pss_saltlen:digest',
  ]);

  const root = chain('root.pem', 'root');
  const otherRoot = chain('other_root.pem', 'other_root');
  const rsaRootPem = chain('rsa_root.pem', 'rsa_root');
  const good = chain('good.pem', 'server', 'intermediate');
  // The good leaf with the last byte of its signature value changed (still well-formed DER).
  openssl('x509', '-in', p('server.crt'), '-outform', 'DER', '-out', p('server.der'));
  const tamperedDer = readFileSync(p('server.der'));
  tamperedDer[tamperedDer.length - 1] ^= 0x01;
  const tampered = p('tampered.pem');
  writeFileSync(tampered, toPemText(tamperedDer) + pem('intermediate'));
  const server = (
    name: string,
    file: string,
    host: string | undefined,
    expect: CertificateReason,
    ca = root,
  ): MatrixCase => ({
    name,
    chain: file,
    ca,
    host,
    purpose: 'server',
    expect,
  });
  const cases: MatrixCase[] = [
    server('good chain, DNS name', good, 'sbc.test.example', 'ok'),
    server('good chain, host name in another case', good, 'SBC.Test.Example', 'ok'),
    server('good chain, IPv4 address in subjectAltName', good, '192.0.2.10', 'ok'),
    server('good chain, IPv6 address written differently', good, '2001:db8:0:0:0:0:0:10', 'ok'),
    server('good chain, no host name to check', good, undefined, 'ok'),
    server(
      'the chain includes the trusted root',
      chain('with_root.pem', 'server', 'intermediate', 'root'),
      'sbc.test.example',
      'ok',
    ),
    server(
      'wildcard covers one label',
      chain('wildcard.pem', 'wildcard', 'intermediate'),
      'sbc1.trunks.test.example',
      'ok',
    ),
    server('wildcard does not cover two labels', p('wildcard.pem'), 'a.sbc1.trunks.test.example', 'name_mismatch'),
    server('wildcard does not cover the bare domain', p('wildcard.pem'), 'trunks.test.example', 'name_mismatch'),
    server(
      'Common Name stands in when there is no subjectAltName',
      chain('cn_only.pem', 'cn_only', 'intermediate'),
      'sbc.test.example',
      'ok',
    ),
    server('Common Name that does not match', p('cn_only.pem'), 'other.test.example', 'name_mismatch'),
    server('another host name', good, 'sbc2.test.example', 'name_mismatch'),
    server('another IP address', good, '192.0.2.11', 'name_mismatch'),
    server('a DNS name is not an IP address', good, '198.51.100.1', 'name_mismatch'),
    server('expired leaf', chain('expired.pem', 'expired', 'intermediate'), 'sbc.test.example', 'expired'),
    server(
      'leaf not yet valid',
      chain('not_yet_valid.pem', 'not_yet_valid', 'intermediate'),
      'sbc.test.example',
      'not_yet_valid',
    ),
    server(
      'intermediate missing from the chain',
      chain('leaf_only.pem', 'server'),
      'sbc.test.example',
      'unknown_issuer',
    ),
    server(
      'chain to a root that is not trusted',
      chain('other.pem', 'other_leaf', 'other_root'),
      'sbc.test.example',
      'unknown_issuer',
    ),
    server('self-signed leaf', chain('self_signed.pem', 'self_signed'), 'sbc.test.example', 'self_signed'),
    server('signature altered after signing', tampered, 'sbc.test.example', 'bad_signature'),
    {
      // OpenSSL does not take a CA whose signature fails as the issuer, and reports the issuer missing.
      ...server(
        'forged signature under the issuing CA’s name',
        chain('forged.pem', 'forged', 'intermediate'),
        'sbc.test.example',
        'bad_signature',
      ),
      openssl: 'unknown_issuer',
    },
    server(
      'issued by an end-entity certificate',
      chain('under_leaf.pem', 'under_leaf', 'server', 'intermediate'),
      'sbc.test.example',
      'not_a_ca',
    ),
    server(
      'pathlen 0 exceeded',
      chain('below_sub_ca.pem', 'below_sub_ca', 'sub_ca', 'intermediate'),
      'sbc.test.example',
      'not_a_ca',
    ),
    {
      // OpenSSL calls a CA without keyCertSign an invalid CA; we name the key usage that is missing.
      ...server(
        'issuing CA without keyCertSign',
        chain('under_no_certsign.pem', 'under_no_certsign', 'no_certsign_ca'),
        'sbc.test.example',
        'bad_key_usage',
      ),
      openssl: 'not_a_ca',
    },
    server(
      'leaf keyUsage without digitalSignature',
      chain('bad_ku.pem', 'bad_ku', 'intermediate'),
      'sbc.test.example',
      'bad_key_usage',
    ),
    server(
      'client certificate presented by a server',
      chain('client.pem', 'client', 'intermediate'),
      'pbx.test.example',
      'bad_key_usage',
    ),
    { name: 'client certificate for a client', chain: p('client.pem'), ca: root, purpose: 'client', expect: 'ok' },
    {
      name: 'server certificate presented by a client',
      chain: good,
      ca: root,
      purpose: 'client',
      expect: 'bad_key_usage',
    },
    server('RSA chain, PKCS #1 v1.5 signatures', chain('rsa.pem', 'rsa_server'), 'sbc.test.example', 'ok', rsaRootPem),
    server(
      'RSA chain, RSA-PSS signature',
      chain('rsa_pss.pem', 'rsa_pss_server'),
      'sbc.test.example',
      'ok',
      rsaRootPem,
    ),
    server('an RSA chain against the ECDSA root', p('rsa.pem'), 'sbc.test.example', 'unknown_issuer'),
    server('trusting another CA only', good, 'sbc.test.example', 'unknown_issuer', otherRoot),
    {
      ...server(
        'on the issuing CA’s CRL',
        chain('revoked.pem', 'revoked', 'intermediate'),
        'sbc.test.example',
        'revoked',
      ),
      crl: p('issuing-crl.pem'),
    },
    { ...server('good chain, not on the CRL', good, 'sbc.test.example', 'ok'), crl: p('issuing-crl.pem') },
  ];
  return {
    dir,
    cases,
    files: { rootPem: root, leafKey: p('leaf.key'), leafDer: p('server.der'), csr: p('server.csr') },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function toPemText(der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/**
 * What `openssl verify` says about a case: the same question asked of OpenSSL
 * (trust the CA file, the rest of the chain untrusted, the same time, host
 * name and purpose). Returns the first error's reason code, or 'ok'.
 */
export function opensslVerdict(c: MatrixCase, dir: string): string {
  const pems = readFileSync(c.chain, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g)!;
  writeFileSync(join(dir, 'v_leaf.pem'), pems[0]);
  writeFileSync(join(dir, 'v_untrusted.pem'), pems.slice(1).join('') || pems[0]);
  const args = [
    'verify',
    '-CAfile',
    c.ca,
    '-untrusted',
    join(dir, 'v_untrusted.pem'),
    '-attime',
    String(Date.parse(AT) / 1000),
    '-purpose',
    c.purpose === 'server' ? 'sslserver' : 'sslclient',
  ];
  if (c.host !== undefined) args.push(/^[\d.]+$|:/.test(c.host) ? '-verify_ip' : '-verify_hostname', c.host);
  if (c.crl) args.push('-crl_check', '-CRLfile', c.crl);
  args.push(join(dir, 'v_leaf.pem'));
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    return 'ok';
  } catch (e) {
    const out = String((e as { stdout?: Buffer }).stdout ?? '') + String((e as { stderr?: Buffer }).stderr ?? '');
    const m = /error (\d+) at/.exec(out);
    return m ? (OPENSSL_ERRORS[Number(m[1])] ?? `openssl error ${m[1]}`) : `openssl: ${out.trim().split('\n')[0]}`;
  }
}

/** X509_V_ERR_* codes (OpenSSL include/openssl/x509_vfy.h) as our reason codes. */
const OPENSSL_ERRORS: Record<number, CertificateReason> = {
  2: 'unknown_issuer', // unable to get issuer certificate
  7: 'bad_signature', // certificate signature failure
  9: 'not_yet_valid',
  10: 'expired',
  18: 'self_signed', // self-signed certificate (the leaf)
  19: 'unknown_issuer', // self-signed certificate in certificate chain
  20: 'unknown_issuer', // unable to get local issuer certificate
  21: 'unknown_issuer', // unable to verify the first certificate
  23: 'revoked', // certificate revoked
  25: 'not_a_ca', // path length constraint exceeded
  26: 'bad_key_usage', // unsupported certificate purpose
  32: 'bad_key_usage', // key usage does not include certificate signing
  39: 'bad_key_usage', // key usage does not include digital signature
  62: 'name_mismatch', // hostname mismatch
  64: 'name_mismatch', // IP address mismatch
  79: 'not_a_ca', // invalid CA certificate
};
