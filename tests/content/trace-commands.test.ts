/**
 * The article on decrypted SIP, held to what can be checked here: its
 * redaction command removes every SRTP key and digest response from SIP the
 * engine wrote (a whole secure call's trace, as the PBX read it) and
 * changes nothing else; and the OpenSSL on this machine ignores the
 * SSLKEYLOGFILE environment variable, writing a key log only when asked
 * with `-keylogfile`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { carrier } from '../../site/components/docs/carrier-profile';
import { csrFlowCommands } from '../../site/components/docs/csr-flow';
import { traceCommands } from '../../site/components/docs/trace-commands';
import { fromHex } from '../../sim/wire';
import { run } from '../scenarios/runs';
import { OpenSslWorkbench } from './openssl-workbench';

let bench: OpenSslWorkbench;
beforeAll(() => {
  bench = new OpenSslWorkbench(carrier);
});
afterAll(() => bench.dispose());

describe('removing the secrets from a SIP trace', () => {
  it('replaces each a=crypto key and digest response, and leaves every other line as it was', async () => {
    const t = await run('secure-call');
    const trace = t.steps
      .filter((s) => s.protocol === 'SIP')
      .map((s) => new TextDecoder().decode(fromHex(s.views.pbx.layers.at(-1)!.bytes)))
      .join('\n');
    expect(trace).toMatch(/a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:[A-Za-z0-9+/]{38}/);
    expect(trace).toMatch(/response="[0-9a-f]{64}"/);
    writeFileSync(join(bench.dir, 'trace.log'), trace);
    expect(bench.shell(traceCommands(carrier).redact).status).toBe(0);
    const shared = readFileSync(join(bench.dir, 'trace-to-share.log'), 'utf8');
    expect(shared).not.toMatch(/inline:[A-Za-z0-9+/]{8}/);
    expect(shared).not.toMatch(/response="[0-9a-f]{8}/);
    expect(shared.match(/inline:REMOVED/g)?.length).toBe(trace.match(/inline:/g)?.length);
    const kept = (text: string) => text.split('\n').filter((l) => !/a=crypto:|Authorization:/.test(l));
    expect(kept(shared)).toEqual(kept(trace));
  });
});

describe('key logs from OpenSSL', () => {
  it('SSLKEYLOGFILE is ignored; -keylogfile writes the TLS secrets', async () => {
    const flow = csrFlowCommands(carrier);
    for (const step of [flow.keyEc, flow.csr]) expect(bench.shell(step.command).status).toBe(0);
    bench.signLeaf(flow.files.csr, join(bench.dir, flow.files.certificate));
    const sbc = bench.makeServerCertificate(carrier.sbc.host, 'sbc');
    const client = (port: number, extra: string) =>
      `openssl s_client -connect 127.0.0.1:${port} -CAfile ${flow.files.root} -cert ${flow.files.certificate} ` +
      `-key ${flow.files.key} ${extra} </dev/null`;
    await bench.withSbc(sbc, (port) => bench.shell(`SSLKEYLOGFILE=${join(bench.dir, 'env.keys')} ${client(port, '')}`));
    expect(existsSync(join(bench.dir, 'env.keys'))).toBe(false);
    await bench.withSbc(sbc, (port) => bench.shell(client(port, `-keylogfile ${join(bench.dir, 'asked.keys')}`)));
    expect(readFileSync(join(bench.dir, 'asked.keys'), 'utf8')).toMatch(
      /^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} /m,
    );
  });
});
