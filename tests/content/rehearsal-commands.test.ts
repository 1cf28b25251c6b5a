/**
 * The commands "Rehearse your go-live" shows, run as shown in a temporary
 * folder with `trunklab` on the PATH: the test CA with the SBC's host name
 * and address, the PBX's key and CSR by OpenSSL, the PBX's certificate from
 * `trunklab ca sign` (checked by OpenSSL as a TLS client certificate chaining
 * to the test root), and each `trunklab sbc` variant starting and stopping on
 * Ctrl+C. The SBC listens on 127.0.0.1 with a port the system chooses instead
 * of the article's 0.0.0.0:5061, the one change made to the text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrier } from '../../site/components/docs/carrier-profile';
import { REHEARSAL_SBC, rehearsalCommand, rehearsalFiles } from '../../site/components/docs/rehearsal';
import { OpenSslWorkbench } from './openssl-workbench';
import { startSbc } from '../cli/sbc-peers';

/** The words of a shell command (line continuations joined, single quotes honoured). */
function shellWords(command: string): string[] {
  const joined = command.replace(/\\\n/g, ' ');
  return [...joined.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

describe('the rehearsal commands, as the article shows them', () => {
  let bench: OpenSslWorkbench;
  const files = rehearsalFiles(carrier);
  beforeAll(() => {
    bench = new OpenSslWorkbench(carrier);
  });
  afterAll(() => bench?.dispose());

  it('makes the test CA, whose SBC certificate names the host and the address', () => {
    const r = bench.shell(rehearsalCommand(carrier, 'ca-init').command);
    expect(r.status, r.out).toBe(0);
    const text = bench.openssl(['x509', '-in', files.sbcChain, '-noout', '-ext', 'subjectAltName']);
    expect(text).toContain(`DNS:${REHEARSAL_SBC.host}`);
    expect(text).toContain(`IP Address:${REHEARSAL_SBC.ip}`);
  });

  it('issues the PBX a client certificate from its own CSR that OpenSSL chains to the test root', () => {
    const csr = bench.shell(rehearsalCommand(carrier, 'pbx-csr').command);
    expect(csr.status, csr.out).toBe(0);
    const signed = bench.shell(rehearsalCommand(carrier, 'ca-sign').command);
    expect(signed.status, signed.out).toBe(0);
    const verified = bench.shell(
      `openssl verify -purpose sslclient -CAfile ${files.root} -untrusted ${files.chain} ${files.chain}`,
    );
    expect(verified.status, verified.out).toBe(0);
    expect(verified.out).toContain(`${files.chain}: OK`);
  });

  it.each(['sbc', 'sbc-ip-auth', 'sbc-md5'] as const)(
    'starts the SBC as `%s` shows, and stops it on Ctrl+C',
    async (id) => {
      const words = shellWords(rehearsalCommand(carrier, id).command);
      expect(words.slice(0, 2)).toEqual(['trunklab', 'sbc']);
      const listen = words.indexOf('--listen');
      expect(words[listen + 1]).toBe(`0.0.0.0:${REHEARSAL_SBC.port}`);
      const args = [...words.slice(2, listen), ...words.slice(listen + 2)];
      const sbc = await startSbc(args, bench.dir);
      const listening = sbc.events[0];
      expect(listening.certificateNames).toEqual([REHEARSAL_SBC.host, REHEARSAL_SBC.ip]);
      expect(String(listening.auth)).toMatch(
        id === 'sbc-ip-auth'
          ? /^IP authentication from 192\.168\.1\.20\/32/
          : id === 'sbc-md5'
            ? /\(MD5\)$/
            : /\(SHA-256, then MD5\)$/,
      );
      expect(await sbc.stop()).toBe(0);
    },
  );
});
