/**
 * The endpoints as an attacker on the path uses them: its own TlsServer
 * facing the PBX, its own TlsClient facing the SBC. What mutual TLS stops,
 * and what a PBX that does not check the SBC's certificate still gives away.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../sim/wire';
import { HmacDrbg } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';
import { buildCast, type Cast } from '../../sim/pki/cast';
import { TlsClient, TlsServer, tlsConfig, type TlsCredentials } from '../../sim/tls';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { pump } from './pump';

const AT = '2026-11-26T09:00:00Z';
const profile = carrier as CarrierProfile;
let cast: Cast;
beforeAll(async () => {
  cast = await buildCast({ carrier: profile, random: HmacDrbg.fromSeed(11, 'interception'), at: Date.parse(AT) });
});

const clock = () => VirtualClock.at(AT);

function pbx(verifyPeer: boolean) {
  return new TlsClient(
    tlsConfig({
      clock: clock(),
      random: HmacDrbg.fromSeed(1, 'pbx'),
      serverName: profile.sbc.host,
      trustAnchors: cast.anchors,
      verifyPeer,
      credentials: { chain: cast.pbx.chain, privateKey: cast.pbx.privateKey },
      names: { self: 'PBX', peer: 'SBC' },
    }),
  );
}

function attackerServer(credentials: TlsCredentials) {
  return new TlsServer(
    tlsConfig({
      clock: clock(),
      random: HmacDrbg.fromSeed(1, 'attacker server'),
      credentials,
      requestClientCertificate: true,
      verifyPeer: false,
      names: { self: 'attacker', peer: 'PBX' },
    }),
  );
}

function sbc() {
  return new TlsServer(
    tlsConfig({
      clock: clock(),
      random: HmacDrbg.fromSeed(1, 'sbc'),
      credentials: { chain: cast.sbc.chain, privateKey: cast.sbc.privateKey },
      trustAnchors: cast.anchors,
      requestClientCertificate: true,
      requireClientCertificate: true,
      names: { self: 'SBC', peer: 'PBX' },
    }),
  );
}

function attackerClient(credentials?: TlsCredentials) {
  return new TlsClient(
    tlsConfig({
      clock: clock(),
      random: HmacDrbg.fromSeed(1, 'attacker client'),
      serverName: profile.sbc.host,
      verifyPeer: false,
      ...(credentials ? { credentials } : {}),
      names: { self: 'attacker', peer: 'SBC' },
    }),
  );
}

describe('an attacker in the middle', () => {
  it('a PBX that checks the SBC certificate refuses the attacker (unknown_ca) and sends nothing', async () => {
    const client = pbx(true);
    const mitm = attackerServer({
      chain: cast.attacker.selfSigned.chain,
      privateKey: cast.attacker.selfSigned.privateKey,
    });
    await pump(client, mitm);
    expect(client.sentAlert?.name).toBe('unknown_ca');
    expect(mitm.state).toBe('failed');
  });

  it('a PBX that does not check reads the attacker as the SBC and gives away its SIP; the real SBC still refuses the attacker', async () => {
    const client = pbx(false);
    const mitm = attackerServer({
      chain: cast.attacker.selfSigned.chain,
      privateKey: cast.attacker.selfSigned.privateKey,
    });
    await pump(client, mitm);
    expect(client.state).toBe('connected');
    const register =
      'REGISTER sip:quillfeather.example SIP/2.0\r\nAuthorization: Digest username="harbourstreet"\r\n\r\n';
    const sent = await client.send(utf8(register));
    const stolen = await mitm.receive(sent.bytes);
    expect(stolen.received.map(fromUtf8)).toEqual([register]);
    // The PBX even handed over its certificate, but not its key: relaying to the SBC needs one.
    const relay = attackerClient();
    const sbcSide = sbc();
    await pump(relay, sbcSide);
    expect(sbcSide.sentAlert?.name).toBe('certificate_required');
    expect(relay.receivedAlert?.name).toBe('certificate_required');
  });

  it('the PBX certificate replayed without its private key fails at CertificateVerify (decrypt_error)', async () => {
    const relay = attackerClient({ chain: cast.pbx.chain, privateKey: cast.attacker.privateKey });
    const sbcSide = sbc();
    await pump(relay, sbcSide);
    expect(sbcSide.sentAlert?.name).toBe('decrypt_error');
    expect(sbcSide.sentAlert?.reason).toMatch(/does not hold the private key/);
  });
});
