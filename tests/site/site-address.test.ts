/**
 * Where the site is served (site/config/site-address.mjs) and links under
 * its base path (site/config/base-links.mjs, site/lib/base-path.ts): the
 * environment wins over the carrier profile, a bad address stops the build
 * with words, and site paths get the base path while other addresses do not.
 */
import { describe, expect, it } from 'vitest';
import { prefixSitePath, rehypeBaseLinks } from '../../site/config/base-links.mjs';
import { SiteAddressError, siteAddress } from '../../site/config/site-address.mjs';
import { withBase } from '../../site/lib/base-path';

describe('siteAddress', () => {
  it('takes the environment first, then the carrier profile', () => {
    expect(siteAddress('https://help.example.com/help/trunk-lab/', 'https://lab.example.org/')).toEqual({
      site: 'https://help.example.com',
      base: '/help/trunk-lab/',
    });
    expect(siteAddress(undefined, 'https://lab.example.org')).toEqual({ site: 'https://lab.example.org', base: '/' });
    expect(siteAddress('  ', 'http://127.0.0.1:8080/x')).toEqual({ site: 'http://127.0.0.1:8080', base: '/x/' });
  });

  it('stops the build with the setting’s name and what is wrong', () => {
    expect(() => siteAddress('help.example.com/trunk', undefined)).toThrow(
      /TRUNKLAB_SITE_URL is "help.example.com\/trunk", which is not an absolute URL/,
    );
    expect(() => siteAddress(undefined, undefined)).toThrow(/carrier profile's "site"/);
    expect(() => siteAddress('ftp://example.com/', undefined)).toThrow(/https: or http:, not ftp:/);
    expect(() => siteAddress('https://example.com/?a=1', undefined)).toThrow(SiteAddressError);
    expect(() => siteAddress('https://example.com/#top', undefined)).toThrow(/without a query, fragment/);
  });
});

describe('links under a base path', () => {
  it('prefixes site paths only', () => {
    expect(prefixSitePath('/docs/x/#a', '/help/trunk-lab/')).toBe('/help/trunk-lab/docs/x/#a');
    expect(prefixSitePath('/?scenario=a', '/help/trunk-lab/')).toBe('/help/trunk-lab/?scenario=a');
    expect(prefixSitePath('/docs/x/', '/')).toBe('/docs/x/');
    for (const other of ['https://example.com/x', '//cdn.example.com/x', '#anchor', 'relative/x', 'mailto:a@b']) {
      expect(prefixSitePath(other, '/base/')).toBe(other);
    }
    expect(withBase('/docs/', '/a/b/')).toBe('/a/b/docs/');
  });

  it('rewrites the links of an article’s HTML and of JSX written in MDX', () => {
    const tree = {
      type: 'root',
      children: [
        { type: 'element', tagName: 'a', properties: { href: '/docs/tls-handshake/' }, children: [] },
        { type: 'element', tagName: 'a', properties: { href: 'https://www.rfc-editor.org/' }, children: [] },
        { type: 'mdxJsxTextElement', name: 'a', attributes: [{ type: 'mdxJsxAttribute', name: 'href', value: '/' }] },
      ],
    };
    rehypeBaseLinks({ base: '/help/' })(tree);
    expect(tree.children[0]).toMatchObject({ properties: { href: '/help/docs/tls-handshake/' } });
    expect(tree.children[1]).toMatchObject({ properties: { href: 'https://www.rfc-editor.org/' } });
    expect(tree.children[2]).toMatchObject({ attributes: [{ value: '/help/' }] });
  });
});
