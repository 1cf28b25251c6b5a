/**
 * `trunklab cert-check CHAIN.pem --ca ROOT.pem [--host NAME] [--purpose server|client]
 * [--at ISO-TIME] [--crl CRL.pem]... [--json]`: validates a certificate chain the
 * way the engine's TLS peers do (sim/pki/validate.ts), with the CAs'
 * revocation lists when given (RFC 5280 §6.3), and says why it fails.
 *
 * Files may be PEM (any number of CERTIFICATE blocks, leaf first) or a single
 * DER certificate. Exit 0 valid, 1 invalid, 2 unreadable input or bad usage.
 */
import type { ValidationResult } from '../pki/validate';
import { isParseError } from '../wire/parse-error';
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type Command } from './io';
import { INPUT_LIMIT, readInputFile } from './input-file';

export const certCheckCommand: Command = {
  name: 'cert-check',
  synopsis:
    'trunklab cert-check CHAIN.pem --ca ROOT.pem [--host NAME] [--purpose server|client] [--at ISO-TIME] [--crl CRL.pem]... [--json]',
  description: 'Validates a certificate chain against trusted CAs and explains the verdict step by step.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs('cert-check', args, {
      ca: { type: 'string' },
      host: { type: 'string' },
      purpose: { type: 'string' },
      at: { type: 'string' },
      crl: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('cert-check: give one CHAIN file (PEM, leaf first)');
    if (values.ca === undefined)
      throw new UsageError('cert-check: --ca ROOT.pem is required (the CA certificates to trust)');
    const purpose = values.purpose ?? 'server';
    if (purpose !== 'server' && purpose !== 'client') {
      throw new UsageError(`cert-check: --purpose must be server or client, got "${purpose}"`);
    }
    const at = values.at === undefined ? Date.now() : parseTime(values.at);
    if (values.host !== undefined && values.host.trim() === '') throw new UsageError('cert-check: --host is empty');

    // The engine is loaded when a command runs, not when `trunklab` starts.
    const { validateChain } = await import('../pki/validate');
    const chain = await readCertificates(positionals[0]);
    const anchors = await readCertificates(values.ca);
    const crls = (await Promise.all((values.crl ?? []).map(readCrls))).flat();
    let result: ValidationResult;
    try {
      result = await validateChain(chain, {
        anchors,
        at,
        host: values.host,
        purpose,
        ...(crls.length ? { crls } : {}),
      });
    } catch (e) {
      // A certificate the path needed turned out unreadable: say which file it came from.
      if (isParseError(e) && e.field?.startsWith('trusted CA'))
        throw new UsageError(`cert-check: ${values.ca}: ${e.message}`);
      if (isParseError(e)) throw new UsageError(`cert-check: ${positionals[0]}: ${e.message}`);
      throw e;
    }
    if (values.json) {
      const { valid, reason, detail, chain: path, trace } = result;
      ctx.stdout(JSON.stringify({ valid, reason, detail, chain: path, trace }, null, 2) + '\n');
    } else {
      ctx.stdout(formatResult(result, new Date(at).toISOString()));
    }
    return result.valid ? EXIT.ok : EXIT.failed;
  },
};

function parseTime(text: string): number {
  // An ISO 8601 date or date-time; a bare date means midnight UTC.
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    throw new UsageError(`cert-check: --at must be an ISO 8601 time such as 2026-11-26T09:00:00Z, got "${text}"`);
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`cert-check: --at is not a real time: "${text}"`);
  return ms;
}

/** Every CRL in a PEM (X509 CRL blocks) or DER file, or a UsageError naming the file and what is wrong. */
async function readCrls(path: string): Promise<Uint8Array[]> {
  const [{ readCrl }, { readPemBlocks }] = await Promise.all([import('../pki/revocation'), import('../pki/pem')]);
  const bytes = readInputFile('cert-check', path, INPUT_LIMIT.pem);
  if (bytes.length === 0) throw new UsageError(`cert-check: ${path} is empty`);
  try {
    const ders =
      bytes[0] === 0x30
        ? [bytes]
        : readPemBlocks(new TextDecoder('utf-8', { fatal: false }).decode(bytes))
            .filter((b) => b.label === 'X509 CRL')
            .map((b) => b.der);
    if (ders.length === 0)
      throw new UsageError(`cert-check: ${path} holds no "X509 CRL" PEM block and is not a DER CRL`);
    ders.forEach((der, i) => readCrl(der, `${path} CRL ${i + 1}`));
    return ders;
  } catch (e) {
    if (isParseError(e)) throw new UsageError(`cert-check: ${e.message}`);
    throw e;
  }
}

/**
 * Every certificate in a PEM or DER file, or a UsageError naming the file and
 * what is wrong. PEM blocks are decoded, not yet parsed: validation parses
 * the certificates its path takes.
 */
async function readCertificates(path: string): Promise<Uint8Array[]> {
  const [{ parseCertificate }, { readCertificatesPem }] = await Promise.all([
    import('../pki/certificate'),
    import('../pki/keys'),
  ]);
  const bytes = readInputFile('cert-check', path, INPUT_LIMIT.pem);
  if (bytes.length === 0) throw new UsageError(`cert-check: ${path} is empty`);
  try {
    // DER starts with a SEQUENCE tag; anything else is read as PEM text.
    if (bytes[0] === 0x30) {
      parseCertificate(bytes, 'DER certificate');
      return [bytes];
    }
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    if (!text.includes('-----BEGIN')) {
      throw new UsageError(`cert-check: ${path} is neither PEM (no "-----BEGIN" line) nor a DER certificate`);
    }
    return readCertificatesPem(text);
  } catch (e) {
    if (isParseError(e)) throw new UsageError(`cert-check: ${path}: ${e.message}`);
    throw e;
  }
}

function formatResult(r: ValidationResult, at: string): string {
  const lines = [
    r.valid ? `valid: ${r.detail}` : `invalid (${r.reason}): ${r.detail}`,
    '',
    `checked at ${at}`,
    'chain:',
  ];
  r.chain.forEach((c, i) => {
    lines.push(`  ${i + 1}. ${c.subject}`);
    lines.push(`     issuer ${c.issuer}; valid ${c.notBefore} to ${c.notAfter}; serial ${c.serial}`);
  });
  lines.push('checks:');
  for (const s of r.trace) lines.push(`  ${s.result === 'pass' ? '✓' : '✗'} ${s.check}: ${s.detail}`);
  return lines.join('\n') + '\n';
}
