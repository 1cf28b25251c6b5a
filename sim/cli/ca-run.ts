/**
 * `trunklab ca`: the carrier's CA for a rehearsal bench (sim/pki/test-ca.ts).
 *
 * - `ca init DIR [--sbc-name NAME]...` makes the root, the issuing CA and the
 *   SBC's certificate for each NAME (a host name becomes a dNSName, an
 *   address an iPAddress, RFC 5280 §4.2.1.6; by default the carrier
 *   profile's SBC host name), writes them into DIR (keys readable by their
 *   owner only) and says what each file is for. It never overwrites a CA.
 * - `ca sign CSR --out CERT [--ca-dir DIR] [--purpose client|server|both]
 *   [--days N]` checks the request (sim/pki/certificate-request.ts) and
 *   writes the PBX's certificate followed by the issuing CA's: the chain a
 *   PBX sends in its Certificate message (RFC 8446 §4.4.2). A request that
 *   is refused gets one line with its reason, exit 2.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { integerOption, parseCommandArgs } from './args';
import { caFiles, type CaFile } from './ca-files';
import { INPUT_LIMIT, readInputFile, readInputText } from './input-file';
import { EXIT, UsageError, type CliContext } from './io';

const USAGE = 'give `init DIR` or `sign CSR --out CERT`';
/** The longest a bench certificate is issued for (the CA/Browser Forum's old ceiling for TLS certificates). */
const MAX_DAYS = 825;

export async function runCa(args: string[], ctx: CliContext): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'init') return init(rest, ctx);
  if (action === 'sign') return sign(rest, ctx);
  throw new UsageError(`ca: ${action === undefined ? USAGE : `unknown action "${action}"; ${USAGE}`}`);
}

async function init(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('ca init', args, {
    'sbc-name': { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('ca init: give one DIR, the folder to make the CA in');
  const dir = positionals[0];
  const [{ createTestPki }, { subjectName }, { hostNameProblem }, { LiveRandom }] = await Promise.all([
    import('../pki/test-ca'),
    import('../pki/certificate-profile'),
    import('../pki/certificate-request'),
    import('../crypto/random'),
  ]);
  const names = (values['sbc-name'] ?? [ctx.carrier.sbc.host]).map((text) => {
    const name = subjectName(text.trim());
    const problem = name.type === 'dns' ? hostNameProblem(name.value) : undefined;
    if (problem) throw new UsageError(`ca init: --sbc-name "${text}" ${problem}`);
    return name;
  });
  const files = caFiles(ctx.carrier, dir);
  const taken = Object.values(files).filter((f) => existsSync(f.path));
  if (taken.length > 0) {
    throw new UsageError(
      `ca init: ${taken[0].path} already exists: ${dir} holds a CA already; choose an empty folder (a CA is never overwritten)`,
    );
  }
  const pki = await createTestPki({ carrier: ctx.carrier, sbcNames: names, now: Date.now(), random: new LiveRandom() });
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`ca init: cannot make ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const written: Array<[CaFile, string]> = [
    [files.root, pki.root.certificate],
    [files.rootKey, pki.root.key],
    [files.issuing, pki.issuing.certificate],
    [files.issuingKey, pki.issuing.key],
    [files.sbcChain, pki.sbc.certificate],
    [files.sbcKey, pki.sbc.key],
  ];
  for (const [file, text] of written) writeNew('ca init', file, text);
  const sbcNames = names.map((n) => `${n.type === 'dns' ? 'DNS' : 'IP'}:${n.value}`);
  if (values.json) {
    ctx.stdout(
      JSON.stringify(
        { dir, sbcNames, files: written.map(([f]) => ({ path: f.path, purpose: f.purpose, secret: f.secret })) },
        null,
        2,
      ) + '\n',
    );
    return EXIT.ok;
  }
  const width = Math.max(...written.map(([f]) => f.path.length));
  ctx.stdout(`A test PKI for ${ctx.carrier.name} in ${dir}; the SBC’s certificate names ${sbcNames.join(', ')}:\n`);
  for (const [f] of written) ctx.stdout(`  ${f.path.padEnd(width)}  ${f.purpose}${f.secret ? ' (secret)' : ''}\n`);
  ctx.stdout(
    [
      '',
      'Next, on the PBX: make its key and a certificate signing request, e.g.',
      '  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out pbx.key',
      '  openssl req -new -key pbx.key -out pbx.csr -subj "/CN=pbx.example.net" -addext "subjectAltName=DNS:pbx.example.net"',
      `then issue its certificate: trunklab ca sign pbx.csr --out pbx-chain.pem --ca-dir ${dir}`,
      `and run the SBC: trunklab sbc --ca-dir ${dir}`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

async function sign(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('ca sign', args, {
    out: { type: 'string' },
    'ca-dir': { type: 'string' },
    purpose: { type: 'string' },
    days: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('ca sign: give one CSR file (PEM or DER)');
  if (values.out === undefined)
    throw new UsageError('ca sign: --out CERT is required (where to write the certificate)');
  const purpose = values.purpose ?? 'client';
  if (purpose !== 'client' && purpose !== 'server' && purpose !== 'both') {
    throw new UsageError(`ca sign: --purpose must be client, server or both, got "${purpose}"`);
  }
  const days = integerOption('ca sign', 'days', values.days, 365);
  if (days < 1 || days > MAX_DAYS) throw new UsageError(`ca sign: --days must be 1 to ${MAX_DAYS}, got ${days}`);
  const dir = values['ca-dir'] ?? '.';
  const files = caFiles(ctx.carrier, dir);
  const csrPath = positionals[0];
  const csr = readInputFile('ca sign', csrPath, INPUT_LIMIT.pem);
  const issuingPem = readInputText(
    'ca sign',
    files.issuing.path,
    INPUT_LIMIT.pem,
    `the issuing CA ${files.issuing.path}`,
  );
  const issuingKey = readInputText(
    'ca sign',
    files.issuingKey.path,
    INPUT_LIMIT.pem,
    `the issuing CA’s key ${files.issuingKey.path}`,
  );

  const [
    { checkCertificateRequest },
    { issueFromRequest, loadIssuingCa },
    { parseCertificatesPem },
    { parseCertificate },
    { toPem },
    { LiveRandom },
  ] = await Promise.all([
    import('../pki/certificate-request'),
    import('../pki/test-ca'),
    import('../pki/keys'),
    import('../pki/certificate'),
    import('../pki/pem'),
    import('../crypto/random'),
  ]);
  const checked = await checkCertificateRequest(csr);
  if (!checked.ok) throw new UsageError(`ca sign: ${csrPath}: refused (${checked.problem}): ${checked.detail}`);
  let ca;
  try {
    const issuing = parseCertificatesPem(issuingPem)[0];
    ca = await loadIssuingCa(issuing, issuingKey);
  } catch (e) {
    throw new UsageError(
      `ca sign: ${dir} is not a CA made by \`trunklab ca init\`: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const certificate = await issueFromRequest(ca, checked, { purpose, now: Date.now(), days, random: new LiveRandom() });
  const chain = toPem('CERTIFICATE', certificate) + toPem('CERTIFICATE', new Uint8Array(ca.certificate.rawData));
  try {
    writeFileSync(values.out, chain);
  } catch (e) {
    throw new UsageError(`ca sign: cannot write ${values.out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const names = checked.names.map((n) => `${n.type === 'dns' ? 'DNS' : 'IP'}:${n.value}`);
  const uses = { client: 'TLS client (clientAuth)', server: 'TLS server (serverAuth)', both: 'TLS client and server' }[
    purpose
  ];
  const notAfter = parseCertificate(certificate).notAfter.toISOString();
  if (values.json) {
    ctx.stdout(
      JSON.stringify(
        { out: values.out, subject: checked.subject, names, key: checked.keyDescription, purpose, notAfter },
        null,
        2,
      ) + '\n',
    );
  } else {
    ctx.stdout(
      [
        `Issued ${values.out}: ${checked.subject}, ${names.join(', ')}, ${checked.keyDescription}, for ${uses}, valid until ${notAfter}.`,
        `It holds the certificate, then the issuing CA’s: configure it as the PBX’s certificate chain, beside its own key.`,
        `The PBX trusts ${files.root.path} for the SBC.`,
        '',
      ].join('\n'),
    );
  }
  return EXIT.ok;
}

/** Writes a file that must not exist yet; keys readable by their owner only. */
function writeNew(command: string, file: CaFile, text: string): void {
  try {
    writeFileSync(file.path, text, { flag: 'wx', mode: file.secret ? 0o600 : 0o644 });
  } catch (e) {
    throw new UsageError(`${command}: cannot write ${file.path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}
