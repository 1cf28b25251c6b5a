/**
 * The setups scenarios start from, and how a scenario's setup becomes the one
 * a run uses: the what-if choices applied, and the carrier profile with the
 * scenario's overrides.
 *
 * The baseline is the trunk the knowledge base recommends: the PBX dials the
 * SBC's TLS port, offers TLS 1.3 and 1.2 with forward-secret suites, trusts
 * the carrier's root, checks the SBC's certificate, presents the certificate
 * the carrier signed, registers with the right password, and offers SRTP
 * with SDES keys from its public address.
 */
import type { CarrierProfile } from '../carrier';
import type {
  CarrierOverrides,
  PbxSetup,
  ScenarioDefinition,
  ScenarioSetup,
  SbcSetup,
  SetupPatch,
  WhatIf,
} from './scenario';

export const SECURE_PBX: PbxSetup = {
  transport: 'tls',
  port: 'tls',
  tls: { versions: ['1.3', '1.2'], trusts: 'carrier-root', verifiesServer: true, certificate: 'carrier-issued' },
  media: { offer: 'srtp', suites: ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'] },
  contact: 'public',
  password: 'correct',
};

export const CURRENT_SBC: SbcSetup = { certificate: 'current', sendsIntermediate: true };

export const SECURE_TRUNK: ScenarioSetup = {
  carrier: {},
  keys: 'ecdsa-p256',
  pbx: SECURE_PBX,
  sbc: CURRENT_SBC,
  attacker: { kind: 'none' },
};

/** The secure trunk with some settings changed. */
export function secureTrunk(patch: SetupPatch = {}): ScenarioSetup {
  return applyPatch(SECURE_TRUNK, patch);
}

/** A setup with a patch applied: nested settings merge, lists and the attacker are replaced. */
export function applyPatch(setup: ScenarioSetup, patch: SetupPatch): ScenarioSetup {
  const p = patch.pbx ?? {};
  return {
    carrier: mergeCarrier(setup.carrier, patch.carrier ?? {}),
    keys: patch.keys ?? setup.keys,
    pbx: {
      ...setup.pbx,
      ...(p.transport ? { transport: p.transport } : {}),
      ...(p.port ? { port: p.port } : {}),
      ...(p.clockSetTo ? { clockSetTo: p.clockSetTo } : {}),
      ...(p.contact ? { contact: p.contact } : {}),
      ...(p.password ? { password: p.password } : {}),
      ...(p.registers !== undefined ? { registers: p.registers } : {}),
      ...(p.dialling ? { dialling: p.dialling } : {}),
      ...(p.digestAlgorithms ? { digestAlgorithms: p.digestAlgorithms } : {}),
      ...(p.rekeyAfterMs !== undefined ? { rekeyAfterMs: p.rekeyAfterMs } : {}),
      ...(p.calls ? { calls: p.calls } : {}),
      ...(p.registerExpires !== undefined ? { registerExpires: p.registerExpires } : {}),
      ...(p.keepaliveSeconds !== undefined ? { keepaliveSeconds: p.keepaliveSeconds } : {}),
      tls: { ...setup.pbx.tls, ...p.tls },
      media: { ...setup.pbx.media, ...p.media },
    },
    sbc: { ...setup.sbc, ...patch.sbc },
    attacker: patch.attacker ?? setup.attacker,
    ...((patch.customerNat ?? setup.customerNat) ? { customerNat: patch.customerNat ?? setup.customerNat } : {}),
  };
}

function mergeCarrier(a: CarrierOverrides, b: CarrierOverrides): CarrierOverrides {
  return {
    ...((a.tls ?? b.tls) ? { tls: { ...a.tls, ...b.tls } } : {}),
    ...((a.srtp ?? b.srtp) ? { srtp: { ...a.srtp, ...b.srtp } } : {}),
    ...((b.auth ?? a.auth) ? { auth: b.auth ?? a.auth } : {}),
  };
}

/** A what-if id or value the scenario does not offer. */
export class UnknownWhatIfError extends RangeError {
  override readonly name = 'UnknownWhatIfError';
}

/** The setup a run uses: the scenario's, with each chosen what-if applied in the scenario's order. */
export function effectiveSetup(definition: ScenarioDefinition, chosen: Record<string, string> = {}): ScenarioSetup {
  const rules = definition.whatIf ?? [];
  for (const [id, value] of Object.entries(chosen)) {
    const rule = rules.find((r) => r.id === id);
    if (!rule) {
      const offered = rules.map((r) => r.id).join(', ') || 'none';
      throw new UnknownWhatIfError(`${definition.id} has no what-if "${id}" (it offers: ${offered})`);
    }
    if (!rule.choices.some((c) => c.value === value)) {
      throw new UnknownWhatIfError(
        `what-if "${id}" of ${definition.id} has no choice "${value}" (choices: ${rule.choices.map((c) => c.value).join(', ')})`,
      );
    }
  }
  let setup = definition.setup;
  for (const rule of rules) {
    const value = chosen[rule.id] ?? rule.default;
    const patch = rule.effects[value];
    if (patch) setup = applyPatch(setup, patch);
  }
  return setup;
}

/** The carrier profile with the scenario's overrides. */
export function carrierWith(base: CarrierProfile, overrides: CarrierOverrides): CarrierProfile {
  return {
    ...base,
    tls: { ...base.tls, ...overrides.tls },
    srtp: { ...base.srtp, ...overrides.srtp },
    auth: overrides.auth ?? base.auth,
  };
}

/** The what-if as the lab lists it, without what each choice changes. */
export function whatIfInfo(rule: WhatIf): WhatIf {
  return { id: rule.id, label: rule.label, choices: rule.choices, default: rule.default };
}
