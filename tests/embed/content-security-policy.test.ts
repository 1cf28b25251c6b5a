/**
 * The build step that writes each page's Content-Security-Policy
 * (site/security/content-security-policy.mjs): hashes agree with OpenSSL's
 * SHA-256 of the same text (CSP3 §8.4), the text hashed is the script as the
 * HTML parser hands it to the browser (newlines normalised, WHATWG HTML
 * §13.2.3.5), the policy lands where it governs everything after it, and a
 * page the policy could not protect fails the build. tests/e2e/embed-csp
 * checks the same policy in a browser that enforces it.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  inspectPage,
  PolicyError,
  policyFor,
  scriptHash,
  withPolicy,
} from '../../site/security/content-security-policy.mjs';

const opensslSha256 = (text: string) =>
  execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: Buffer.from(text, 'utf8') }).toString('base64');

const page = (head: string, body = '') => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;

describe('scriptHash', () => {
  it('is the base64 SHA-256 OpenSSL computes for the same UTF-8 text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(scriptHash(text)).toBe(`'sha256-${opensslSha256(text)}'`);
      }),
      { numRuns: 25 },
    );
  });
});

describe('inspectPage', () => {
  it('hashes each inline script once, as the parser reads it, and skips scripts from this origin', () => {
    const html = page(
      '<meta charset="utf-8"><script>a()\r\nb()</script><script type="module" src="/_astro/x.js"></script>',
      '<script>a()\nb()</script><template><script>c()</script></template><p>&lt;script&gt;d()&lt;/script&gt;</p>',
    );
    const { hashes, search } = inspectPage(html, 'test');
    // CR LF becomes LF before the browser sees the script, so the two copies are one script.
    expect(hashes).toEqual([scriptHash('a()\nb()'), scriptHash('c()')]);
    expect(search).toBe(false);
  });

  it('notices the knowledge base search', () => {
    expect(inspectPage(page('', '<site-search></site-search>'), 'test').search).toBe(true);
  });

  it.each([
    ['an inline event handler', page('', '<img src="a.png" onerror="x()">'), 'inline event handler'],
    ['a javascript: URL', page('', '<a href=" javascript:x()">x</a>'), 'runs script'],
    ['a script from another origin', page('<script src="https://cdn.example/x.js"></script>'), 'another origin'],
    ['a protocol-relative script', page('<script src="//cdn.example/x.js"></script>'), 'another origin'],
    [
      'a second policy',
      page('<meta http-equiv="Content-Security-Policy" content="default-src *">'),
      'already has a Content-Security-Policy',
    ],
    ['no head to put it in', '<p>hello</p>', 'no <head>'],
  ])('refuses %s', (_what, html, message) => {
    expect(() => inspectPage(html, 'page.html')).toThrow(PolicyError);
    expect(() => inspectPage(html, 'page.html')).toThrow(message);
  });

  it('lets attributes that only mention javascript: alone', () => {
    expect(() => inspectPage(page('', '<p title="javascript: a language">x</p>'), 'test')).not.toThrow();
  });
});

describe('withPolicy', () => {
  it('puts the policy right after <meta charset>, before any script or stylesheet', () => {
    const html = page('<meta charset="utf-8"><link rel="stylesheet" href="/a.css"><script>go()</script>');
    const out = withPolicy(html, 'test').html;
    const meta = `<meta http-equiv="Content-Security-Policy" content="${policyFor({ hashes: [scriptHash('go()')], search: false })}">`;
    expect(out).toBe(html.replace('<meta charset="utf-8">', `<meta charset="utf-8">${meta}`));
  });

  it('puts it right after <head> when the charset does not open the head', () => {
    const html = page('<title>t</title><meta charset="utf-8">');
    expect(withPolicy(html, 'test').html).toMatch(
      /^<!doctype html><html><head><meta http-equiv="Content-Security-Policy"/,
    );
  });

  it('writes a policy with no unsafe script source, and WebAssembly only where the search runs', () => {
    const plain = policyFor({ hashes: ["'sha256-AAAA'"], search: false });
    expect(plain).toBe(
      "default-src 'self'; script-src 'self' 'sha256-AAAA'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'",
    );
    expect(policyFor({ hashes: [], search: true })).toContain("script-src 'self' 'wasm-unsafe-eval';");
  });
});
