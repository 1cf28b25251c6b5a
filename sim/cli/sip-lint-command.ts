/**
 * `trunklab sip-lint FILE|- [--json]`: reports the secure-trunk mistakes in a
 * SIP message (sim/sip/lint.ts) against the carrier profile: no TLS where the
 * trunk needs it, port 5060 with TLS, private addresses in Contact or SDP c=,
 * plain RTP where SRTP is required, missing or malformed a=crypto, an MKI or
 * lifetime the carrier does not take. Exit 1 when any finding is an error (or
 * the message does not parse), 0 otherwise, 2 for unreadable input.
 */
import type { LintFinding } from '../sip/lint';
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type Command } from './io';

export const sipLintCommand: Command = {
  name: 'sip-lint',
  synopsis: 'trunklab sip-lint FILE|- [--json]',
  description: 'Checks a SIP message for secure-trunk mistakes (TLS, sips:, private addresses, SRTP keys).',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs('sip-lint', args, { json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('sip-lint: give one FILE, or - for standard input');
    const [{ judge, readMessageInput }, { lintSipMessage }] = await Promise.all([
      import('./sip-message'),
      import('../sip/lint'),
    ]);
    const bytes = await readMessageInput('sip-lint', positionals[0], ctx);
    const { verdict, parsed } = judge(bytes, false);
    const findings: LintFinding[] = [];
    if (!parsed) {
      findings.push({
        code: 'invalid-message',
        severity: 'error',
        line: verdict.line ?? 1,
        message: `${verdict.where}: ${verdict.reason}`,
        spec: 'RFC 3261 §25',
      });
    } else {
      findings.push(...lintSipMessage(parsed, bytes, ctx.carrier));
    }
    findings.sort((a, b) => a.line - b.line);
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.length - errors;
    if (values.json) {
      ctx.stdout(JSON.stringify({ carrier: ctx.carrier.name, errors, warnings, findings }, null, 2) + '\n');
    } else {
      for (const f of findings)
        ctx.stdout(`${f.severity.padEnd(7)} line ${String(f.line).padEnd(4)} ${f.code}: ${f.message} (${f.spec})\n`);
      ctx.stdout(
        findings.length === 0
          ? `no secure-trunk problems found for ${ctx.carrier.name}\n`
          : `${errors} error(s), ${warnings} warning(s)\n`,
      );
    }
    return errors > 0 ? EXIT.failed : EXIT.ok;
  },
};
