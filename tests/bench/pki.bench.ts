/**
 * The carrier PKI (sim/pki): how long building the seeded cast takes, and
 * how many chains per second validateChain checks, beside node:crypto's
 * X509Certificate doing the core of the same work (two signature checks,
 * the validity dates and the host name) in the same run. validateChain keeps
 * certificates it has read, by their bytes (sim/pki/certificate.ts), so the
 * peer is measured both parsing every time and with certificates parsed once.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildCast } from '../../sim/pki/cast';
import { validateChain } from '../../sim/pki/validate';
import { HmacDrbg } from '../../sim/crypto/random';
import type { CarrierProfile } from '../../sim/carrier';
import { measureRate, medianMs, printTable } from './measure';

const carrier = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../content/carrier.json', import.meta.url)), 'utf8'),
) as CarrierProfile;
const AT = Date.parse('2026-11-26T09:00:00Z');

export default async function bench(): Promise<void> {
  const rows: Array<Record<string, string | number>> = [];
  for (const keyType of ['ecdsa-p256', 'rsa-2048'] as const) {
    const build = await medianMs(() => buildCast({ carrier, random: HmacDrbg.fromSeed(1), at: AT, keyType }), 7);
    const cast = await buildCast({ carrier, random: HmacDrbg.fromSeed(1), at: AT, keyType });
    const options = { anchors: cast.anchors, at: AT, host: carrier.sbc.host, purpose: 'server' as const };
    const ours = await measureRate(() => validateChain(cast.sbc.chain, options), { budgetMs: 1000 });
    const [leafDer, intermediateDer] = cast.sbc.chain;
    const check = (leaf: X509Certificate, intermediate: X509Certificate, root: X509Certificate) =>
      leaf.verify(intermediate.publicKey) &&
      intermediate.verify(root.publicKey) &&
      new Date(leaf.validTo).getTime() > AT &&
      leaf.checkHost(carrier.sbc.host) !== undefined;
    const parse = () => [leafDer, intermediateDer, cast.anchors[0]].map((d) => new X509Certificate(d));
    const peer = await measureRate(() => check(...(parse() as [X509Certificate, X509Certificate, X509Certificate])), {
      budgetMs: 1000,
    });
    const once = parse() as [X509Certificate, X509Certificate, X509Certificate];
    const peerParsed = await measureRate(() => check(...once), { budgetMs: 1000 });
    rows.push({
      keys: keyType,
      'buildCast median ms': build,
      'validateChain chains/s': ours.perSecond,
      'node X509Certificate chains/s': peer.perSecond,
      'node, parsed once': peerParsed.perSecond,
      'ours / node parsed once': ours.perSecond / peerParsed.perSecond,
    });
  }
  printTable(rows);
}
