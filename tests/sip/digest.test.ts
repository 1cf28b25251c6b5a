/**
 * Digest authentication against the published examples: RFC 2617 §3.5 (MD5)
 * and RFC 7616 §3.9.1 (the same request with SHA-256 and with MD5).
 */
import { describe, expect, it } from 'vitest';
import {
  answerChallenge,
  digestResponse,
  formatChallenge,
  formatCredentials,
  parseChallenge,
  parseCredentials,
} from '../../sim/sip/digest';

describe('digest response', () => {
  it('RFC 2617 §3.5: MD5, qop=auth — response 6629fae49393a05397450978507c4ef1', () => {
    expect(
      digestResponse({
        algorithm: 'MD5',
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        password: 'Circle Of Life',
        method: 'GET',
        uri: '/dir/index.html',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  // RFC 7616 §3.9.1: the WWW-Authenticate header as the RFC prints it (qop offers auth and auth-int).
  const rfc7616Challenge = (algorithm: string) =>
    `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, ` +
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

  for (const [algorithm, response] of [
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
  ] as const) {
    it(`RFC 7616 §3.9.1: ${algorithm}, parsed from the challenge, answered, formatted and parsed back`, () => {
      const challenge = parseChallenge(rfc7616Challenge(algorithm))!;
      expect(challenge).toEqual({
        realm: 'http-auth@example.org',
        nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
        algorithm,
        qop: 'auth',
        opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
      });
      const credentials = answerChallenge(
        challenge,
        { username: 'Mufasa', password: 'Circle of Life' },
        { method: 'GET', uri: '/dir/index.html' },
        'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
        1,
      );
      expect(credentials.response).toBe(response);
      expect(credentials.nc).toBe('00000001');
      expect(parseCredentials(formatCredentials(credentials))).toEqual(credentials);
    });
  }

  it('formats a challenge that parses back, and refuses what is not Digest', () => {
    const c = {
      realm: 'quillfeather.example',
      nonce: 'abc',
      algorithm: 'SHA-256' as const,
      qop: 'auth' as const,
      stale: true,
    };
    expect(parseChallenge(formatChallenge(c))).toEqual(c);
    expect(parseChallenge('NoOneKnowsThisScheme opaque-data=here')).toBeUndefined();
    expect(parseCredentials('Digest username="a"')).toBeUndefined();
    expect(parseChallenge('Digest realm="r", nonce="n", algorithm=SHA-512-256')).toBeUndefined();
  });
});
