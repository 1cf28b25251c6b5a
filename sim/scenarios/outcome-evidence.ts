/**
 * A failed run's outcome, completed from what the run shows: the step that
 * proves it (the first packet that carries a failure — the alert, the
 * refusing SIP response, the first SRTP packet dropped), whether what was
 * refused was an attacker's doing (then the trunk is not broken: a
 * protection worked, and which one is named), and the scenario's words for
 * what to change, when the run failed the way the scenario teaches.
 *
 * Nothing here decides the outcome: the verdicts did (verdicts.ts). This
 * only points at the evidence and says what it means.
 */
import type { CarrierProfile } from '../carrier';
import type { Outcome, Party, Remedy, Step } from '../timeline';
import type { WirePacket } from '../net/wire-record';
import type { ScenarioDefinition } from './scenario';
import { partyName } from './verdicts';

/** Alerts a TLS endpoint sends when the certificate it was shown does not check out (RFC 8446 §6.2). */
const CERTIFICATE_ALERTS = new Set([
  'unknown_ca',
  'bad_certificate',
  'certificate_expired',
  'certificate_unknown',
  'certificate_revoked',
  'unsupported_certificate',
]);

/**
 * Which protection refused, in words, from the failure's reason code and
 * who refused: the protocol mechanism the code used, with its section.
 */
export function protectionThatRefused(stage: Outcome['stage'], reason: string, party: Party): string {
  const who = `the ${partyName(party)}`;
  if (stage === 'tls' && CERTIFICATE_ALERTS.has(reason)) {
    return `${who}’s check of the certificate it was shown: it must lead to a root ${who} trusts and name the host it dialled (RFC 5280 §6; names: RFC 9525 §6, RFC 6125 before it)`;
  }
  if (stage === 'tls' && (reason === 'certificate_required' || reason === 'handshake_failure')) {
    return `${who}’s demand for a client certificate from the carrier’s CA: mutual TLS (RFC 8446 §4.3.2)`;
  }
  if (stage === 'tls' && reason === 'decrypt_error') {
    return `${who}’s check of the CertificateVerify signature: only the holder of the certificate’s private key can make it (RFC 8446 §4.4.3)`;
  }
  if (reason === 'bad_record_mac') {
    return `TLS’s record authentication: ${who} refused a record whose tag did not verify (RFC 8446 §5.2)`;
  }
  if (stage === 'srtp' && reason === 'auth_failure') {
    return `SRTP’s authentication tag: ${who} dropped every altered packet unplayed (RFC 3711 §3.3)`;
  }
  if (stage === 'srtp' && reason === 'replay') {
    return `SRTP’s replay protection: ${who} dropped every packet whose index it had already received (RFC 3711 §3.3.2)`;
  }
  return `${who}’s check (${reason})`;
}

/** Whether a packet is the attacker's doing: it sent it, changed it, or was the one the refusal answered. */
function attackersDoing(record: WirePacket): boolean {
  return record.from === 'attacker' || record.to === 'attacker' || record.origin !== 'sent';
}

/** The scenario's words for the run's failure, with the run's carrier, if they explain it. */
export function remedyFor(
  definition: ScenarioDefinition,
  outcome: Pick<Outcome, 'ok' | 'reason' | 'decidedBy'>,
  carrier: CarrierProfile,
): Remedy | undefined {
  if (outcome.ok) return undefined;
  const found = definition.remedies?.find((r) =>
    (r.when ?? [{ reason: definition.expected.reason }]).some(
      (w) => w.reason === outcome.reason && (w.decidedBy === undefined || w.decidedBy === outcome.decidedBy),
    ),
  );
  return found && { cause: found.cause(carrier), fix: found.fix(carrier), article: found.article };
}

/** The outcome with its evidence: the proving step, the attack stopped, the remedy. */
export function withEvidence(
  outcome: Outcome,
  steps: readonly Step[],
  records: readonly WirePacket[],
  definition: ScenarioDefinition,
  carrier: CarrierProfile,
): Outcome {
  if (outcome.ok) return outcome;
  const proof = steps.find((s) => s.failure !== undefined);
  const record = proof && records[proof.index];
  const stopped =
    record !== undefined && outcome.decidedBy !== undefined && attackersDoing(record)
      ? { attackStopped: { by: protectionThatRefused(outcome.stage, outcome.reason, outcome.decidedBy) } }
      : {};
  const remedy = remedyFor(definition, outcome, carrier);
  return {
    ...outcome,
    ...(proof ? { step: proof.index } : {}),
    ...stopped,
    ...(remedy ? { remedy } : {}),
  };
}
