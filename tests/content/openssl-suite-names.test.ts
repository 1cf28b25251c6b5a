/**
 * The OpenSSL cipher names the articles and PBX examples print for TLS 1.2
 * suites, checked against OpenSSL's own table (`openssl ciphers -stdname`
 * pairs each IANA name from RFC 5246 / RFC 5289 with OpenSSL's name).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { OPENSSL_TLS12_NAMES, opensslCipherList } from '../../site/components/docs/openssl-suite-names';
import { carrier } from '../../site/components/docs/carrier-profile';

function opensslTable(): Map<string, string> {
  const out = execFileSync('openssl', ['ciphers', '-stdname', 'ALL:@SECLEVEL=0'], { encoding: 'utf8' });
  const table = new Map<string, string>();
  for (const line of out.trim().split('\n')) {
    const [iana, , name] = line.trim().split(/\s+/);
    table.set(iana, name);
  }
  return table;
}

describe('OpenSSL names for TLS 1.2 suites', () => {
  const table = opensslTable();

  it.each(Object.entries(OPENSSL_TLS12_NAMES))('%s is %s in OpenSSL', (iana, name) => {
    expect(table.get(iana)).toBe(name);
  });

  it("makes an OpenSSL cipher list that selects exactly the carrier's TLS 1.2 suites", () => {
    const list = opensslCipherList(carrier.tls.tls12Suites);
    const selected = execFileSync('openssl', ['ciphers', '-stdname', '-tls1_2', list], { encoding: 'utf8' })
      .trim()
      .split('\n')
      // OpenSSL always lists its TLS 1.3 suites too: they are set apart, with -ciphersuites.
      .filter((line) => / TLSv1\.2 /.test(line))
      .map((line) => line.trim().split(/\s+/)[0]);
    expect(selected).toEqual(carrier.tls.tls12Suites);
  });
});
