/**
 * The troubleshooting article's OpenSSL and trunklab commands, run as shown
 * against an `openssl s_server` standing in for the SBC (see
 * openssl-workbench.ts): fetching the chain the SBC presents, counting it,
 * and checking it with `trunklab cert-check` (RFC 5280 §6.1 path validation,
 * RFC 6125 §6 names) in the cases the article describes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { carrier } from '../../site/components/docs/carrier-profile';
import { csrFlowCommands } from '../../site/components/docs/csr-flow';
import { troubleshootingCommands } from '../../site/components/docs/troubleshooting-commands';
import { OpenSslWorkbench, type ServerCertificate } from './openssl-workbench';

describe('what the SBC presents, fetched and checked as the article shows', () => {
  let bench: OpenSslWorkbench;
  let sbc: ServerCertificate;

  beforeAll(() => {
    bench = new OpenSslWorkbench(carrier);
    const flow = csrFlowCommands(carrier);
    for (const step of [flow.keyEc, flow.csr]) expect(bench.shell(step.command).status).toBe(0);
    bench.signLeaf(flow.files.csr, join(bench.dir, flow.files.certificate));
    expect(bench.shell(flow.makeChain.command).status).toBe(0);
    sbc = bench.makeServerCertificate(carrier.sbc.host, 'sbc');
  });
  afterAll(() => bench.dispose());

  /** Fetches the chain an SBC stand-in presents, with the article's command. */
  async function fetchChain(server: ServerCertificate, extra: string[] = []) {
    const { result } = await bench.withSbc(
      server,
      (port) => bench.shell(troubleshootingCommands(carrier, `127.0.0.1:${port}`).fetchSbcChain),
      extra,
    );
    return result;
  }

  it('saves both certificates of a complete chain, and trunklab finds it valid for the SBC host', async () => {
    const t = troubleshootingCommands(carrier);
    expect((await fetchChain(sbc)).status).toBe(0);
    const listed = bench.shell(t.listSbcChain);
    expect(listed.out.split('\n')[0]).toBe('2');
    expect(listed.out).toContain(`subject=O = ${carrier.name}, CN = ${carrier.sbc.host}`);
    expect(listed.out).toContain(`issuer=CN = ${carrier.ca.intermediateName}`);
    const checked = bench.shell(t.checkSbcChain);
    expect(checked.status, checked.out).toBe(0);
    expect(checked.out).toMatch(/^valid: /);
  });

  it('shows a PBX clock in the past makes the same chain invalid', async () => {
    expect((await fetchChain(sbc)).status).toBe(0);
    const skewed = bench.shell(troubleshootingCommands(carrier).checkSbcChainAt('2019-01-01T00:00:00Z'));
    expect(skewed.status).toBe(1);
    expect(skewed.out).toMatch(/^invalid \(not_yet_valid\)/);
  });

  it('counts one certificate when the SBC leaves out its issuing CA, and trunklab reports unknown_issuer', async () => {
    // No -cert_chain: the stand-in sends its own certificate only.
    const lonely = { ...sbc, chain: undefined };
    expect((await fetchChain(lonely)).status).toBe(0);
    const t = troubleshootingCommands(carrier);
    expect(bench.shell(t.listSbcChain).out.split('\n')[0]).toBe('1');
    const checked = bench.shell(t.checkSbcChain);
    expect(checked.status).toBe(1);
    expect(checked.out).toMatch(/^invalid \(unknown_issuer\)/);
  });

  it('reports name_mismatch for a trunk configured with the SBC address instead of its name', async () => {
    expect((await fetchChain(sbc)).status).toBe(0);
    const byAddress = troubleshootingCommands(carrier).checkSbcChain.replace(
      `--host ${carrier.sbc.host}`,
      `--host ${carrier.sbc.ip}`,
    );
    const checked = bench.shell(byAddress);
    expect(checked.status).toBe(1);
    expect(checked.out).toMatch(/^invalid \(name_mismatch\)/);
    expect(checked.out).toContain(carrier.sbc.host);
  });

  it("checks the PBX's own chain as the SBC does", () => {
    const checked = bench.shell(troubleshootingCommands(carrier).checkPbxChain);
    expect(checked.status, checked.out).toBe(0);
    expect(checked.out).toMatch(/^valid: /);
  });
});
