/**
 * Scenarios from the operational topics support engineers meet every week,
 * one file per topic: digest algorithms, certificate revocation, NAT and
 * idle connections, re-keying in the middle of a call. Each file holds the
 * topic's scenario definitions; anything else a topic needs (training
 * exercises built on its scenarios, say) belongs beside it, named after it.
 */
import type { ScenarioDefinition } from '../scenario';
import { DIGEST_ALGORITHM_SCENARIOS } from './digest-algorithms';
import { CERTIFICATE_REVOCATION_SCENARIOS } from './certificate-revocation';
import { REKEYING_SCENARIOS } from './rekeying';
import { NAT_SCENARIOS } from './nat-idle-timeout';

export const OPERATIONAL_SCENARIOS: ScenarioDefinition[] = [
  ...NAT_SCENARIOS,
  ...CERTIFICATE_REVOCATION_SCENARIOS,
  ...DIGEST_ALGORITHM_SCENARIOS,
  ...REKEYING_SCENARIOS,
];
