/**
 * Fields named as articles and the lab's address name them
 * (site/lib/field-names.ts), on the engine's own field trees: every field's
 * written name leads back to it, the names articles use find the fields
 * they mean, and a lens that cannot read a field is shown what it can.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import carrier from '../../content/carrier.json';
import type { CarrierProfile, Field, Step, Timeline } from '../../sim/index';
import { runScenario } from '../../sim/index';
import { findNamedField, focusField, isNamedField, namedPathOf, placesOf } from '../../site/lib/field-names';
import { fieldAt } from '../../site/lib/field-paths';

const runs = new Map<string, Timeline>();
beforeAll(async () => {
  for (const id of ['secure-call', 'eavesdrop-secure', 'sdes-over-plain-sip', 'mitm-self-signed']) {
    runs.set(id, await runScenario(id, { seed: 1, carrier: carrier as CarrierProfile }));
  }
});

function step(scenario: string, summary: string, occurrence = 1): Step {
  const found = runs.get(scenario)!.steps.filter((s) => s.summary === summary)[occurrence - 1];
  if (!found) throw new Error(`${scenario} has no ${summary}`);
  return found;
}

function allPaths(fields: readonly Field[], prefix = ''): string[] {
  return fields.flatMap((f, i) => [`${prefix}${i}`, ...allPaths(f.children ?? [], `${prefix}${i}.`)]);
}

describe('named fields on the engine’s trees', () => {
  it('every field of every signalling packet of a call is found again by the name written for it', () => {
    const seen = new Set<string>();
    for (const s of runs.get('eavesdrop-secure')!.steps) {
      const kind = `${s.protocol} ${s.summary}`;
      if (seen.has(kind)) continue;
      seen.add(kind);
      for (const party of ['pbx', 'attacker', 'sbc'] as const) {
        for (const place of placesOf(s, party)) {
          for (const path of allPaths(place.fields)) {
            const name = namedPathOf(place.fields, path)!;
            expect(isNamedField(name), name).toBe(true);
            expect(findNamedField(place.fields, name), `${kind}: ${name}`).toBe(path);
          }
        }
      }
    }
  });

  it('finds the fields the articles name, skipping the fields in between', () => {
    const hello = step('secure-call', 'ClientHello');
    const keyShare = fieldAt(hello.fields, findNamedField(hello.fields, 'tls.handshake.extensions.key_share')!)!;
    expect(keyShare.name).toBe('key_share');
    expect(keyShare.children?.[0].value).toContain('key_share (51)');

    const suite = step('secure-call', 'ServerHello');
    expect(fieldAt(suite.fields, findNamedField(suite.fields, 'handshake.cipher_suite')!)!.value).toMatch(/^TLS_/);

    const invite = step('sdes-over-plain-sip', 'INVITE');
    const first = fieldAt(invite.fields, findNamedField(invite.fields, 'sdp.a=crypto')!)!;
    const second = fieldAt(invite.fields, findNamedField(invite.fields, 'sdp.a=crypto[2]')!)!;
    expect(first.value).toMatch(/^crypto:1 /);
    expect(second.value).toMatch(/^crypto:2 /);
    expect(findNamedField(invite.fields, 'sdp.a=crypto[3]')).toBeUndefined();
    expect(fieldAt(invite.fields, findNamedField(invite.fields, 'sip.via')!)!.name).toBe('Via');
  });

  it('opens the named field where the lens can read it, and what the lens has where it cannot', () => {
    const invite = step('eavesdrop-secure', 'INVITE');
    const pbx = focusField(invite, 'pbx', 'sdp.a=crypto')!;
    expect(pbx.fallback).toBe(false);
    expect(pbx.place.layer).toBe(0);
    expect(fieldAt(pbx.place.fields, pbx.path)!.value).toMatch(/^crypto:1 /);

    const attacker = focusField(invite, 'attacker', 'sdp.a=crypto')!;
    expect(attacker.fallback).toBe(true);
    expect(attacker.place.layer).toBe(-1);
    expect(fieldAt(attacker.place.fields, attacker.path)!.layer).toBe('tls-record');

    // No name: the innermost layer the lens can read, the SIP it decrypted.
    const plain = focusField(invite, 'sbc')!;
    expect(fieldAt(plain.place.fields, plain.path)!.layer).toBe('sdp');
  });

  it('has nothing to open for a party that never saw the packet', () => {
    const hello = step('secure-call', 'ClientHello');
    expect(hello.views.attacker.access).toBe('none');
    expect(focusField(hello, 'attacker', 'tls')).toBeUndefined();
  });

  it('refuses, rather than searches with, names that are not field names', () => {
    const hello = step('secure-call', 'ClientHello');
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        if (!isNamedField(text)) expect(findNamedField(hello.fields, text)).toBeUndefined();
      }),
    );
    for (const bad of ['', '.', 'tls..handshake', 'TLS', 'a b', 'x[0]', '<script>', 'a'.repeat(201)]) {
      expect(isNamedField(bad), bad).toBe(false);
    }
  });
});
