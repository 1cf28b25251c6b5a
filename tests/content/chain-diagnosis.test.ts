/**
 * What the troubleshooting article says about telling a missing
 * intermediate from a wrong root, checked with OpenSSL: `openssl s_client`
 * reports error 20 ("unable to get local issuer certificate") for both, at
 * depth 0 for the missing intermediate (and then error 21, "unable to
 * verify the first certificate") and at depth 1 for the wrong root; the
 * article's listing of the chain beside the installed root tells them apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { carrier } from '../../site/components/docs/carrier-profile';
import { csrFlowCommands } from '../../site/components/docs/csr-flow';
import { troubleshootingCommands } from '../../site/components/docs/troubleshooting-commands';
import { OpenSslWorkbench, type Issuer, type ServerCertificate } from './openssl-workbench';

describe('a missing intermediate and a wrong root, as OpenSSL reports them', () => {
  let bench: OpenSslWorkbench;
  let sbc: ServerCertificate;
  let otherRoot: Issuer;

  beforeAll(() => {
    bench = new OpenSslWorkbench(carrier);
    // The reader's own certificate, which the stand-in SBC asks for when the chain is fetched.
    const flow = csrFlowCommands(carrier);
    for (const step of [flow.keyEc, flow.csr]) expect(bench.shell(step.command).status).toBe(0);
    bench.signLeaf(flow.files.csr, join(bench.dir, flow.files.certificate));
    sbc = bench.makeServerCertificate(carrier.sbc.host, 'sbc');
    otherRoot = { cert: join(bench.dir, 'other-root.pem'), key: join(bench.ca, 'other-root.key') };
    bench.makeCa('Elsewhere Root CA', otherRoot);
  });
  afterAll(() => bench.dispose());

  /** s_client's verification report against a stand-in SBC, trusting `root`; and the chain it saved. */
  async function connect(server: ServerCertificate, root: string) {
    const { result } = await bench.withSbc(server, (port) => {
      const report = bench.shell(
        `openssl s_client -connect 127.0.0.1:${port} -servername ${carrier.sbc.host} -CAfile ${root} </dev/null 2>&1`,
      );
      return report;
    });
    const errors = [...result.out.matchAll(/depth=(\d+)[^\n]*\nverify error:num=(\d+)/g)].map((m) => ({
      depth: Number(m[1]),
      error: Number(m[2]),
    }));
    return { errors, out: result.out };
  }

  async function listing(server: ServerCertificate) {
    await bench.withSbc(server, (port) =>
      bench.shell(troubleshootingCommands(carrier, `127.0.0.1:${port}`).fetchSbcChain),
    );
    return bench.shell(troubleshootingCommands(carrier).compareChainWithRoot).out;
  }

  /** What the article's count (the first line of its listing, `grep -c`) prints for the chain fetched last. */
  function countSent(): number {
    const count = troubleshootingCommands(carrier).listSbcChain.split('\n')[0];
    return Number(bench.shell(count).out.trim());
  }

  it('missing intermediate: error 20 at depth 0, then 21; the SBC sent one certificate', async () => {
    const lonely = { ...sbc, chain: undefined };
    const { errors } = await connect(lonely, join(bench.dir, bench.files.root));
    expect(errors).toContainEqual({ depth: 0, error: 20 });
    expect(errors).toContainEqual({ depth: 0, error: 21 });
    const listed = await listing(lonely);
    expect(listed.match(/^subject=/gm)).toHaveLength(2); // the one certificate sent, and the installed root
    expect(listed).toContain(`issuer=CN = ${carrier.ca.intermediateName}`);
    expect(countSent()).toBe(1);
  });

  it('wrong root: the same error 20, one level up (depth 1), and no 21; two certificates sent', async () => {
    const { errors } = await connect(sbc, otherRoot.cert);
    expect(errors).toContainEqual({ depth: 1, error: 20 });
    expect(errors.some((e) => e.error === 21)).toBe(false);
    const listed = await listing(sbc);
    expect(listed.match(/^subject=/gm)).toHaveLength(3);
    expect(listed).toContain(`issuer=CN = ${carrier.ca.rootName}`);
    expect(countSent()).toBe(2);
  });
});
