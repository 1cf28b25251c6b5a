/**
 * The snippets authors paste are parsed here by parse5 (the WHATWG HTML
 * parsing algorithm, as browsers run it): whatever the values, the loader
 * snippet is exactly one placeholder and one script, the iframe snippet
 * exactly one iframe, and every value comes back out of its attribute as it
 * went in.
 */
import fc from 'fast-check';
import { parseFragment } from 'parse5';
import { describe, expect, it } from 'vitest';
import {
  embedPath,
  FRAME_SANDBOX,
  iframeSnippet,
  loaderSnippet,
  type EmbedTarget,
} from '../../site/components/embed/embed-markup';

type Parsed = { tag: string; attrs: Record<string, string> };

function elements(html: string): Parsed[] {
  const fragment = parseFragment(html);
  return fragment.childNodes
    .filter((n): n is Extract<typeof n, { tagName: string }> => 'tagName' in n)
    .map((n) => ({ tag: n.tagName, attrs: Object.fromEntries(n.attrs.map((a) => [a.name, a.value])) }));
}

const ORIGIN = 'https://lab.quillfeather.example';

describe('embed snippets', () => {
  it('writes the loader form', () => {
    expect(loaderSnippet(ORIGIN, { scenario: 'secure-call', step: 5, lens: 'attacker', theme: 'dark' })).toBe(
      '<div data-trunklab-scenario="secure-call" data-step="5" data-lens="attacker" data-theme="dark"></div>\n' +
        '<script async src="https://lab.quillfeather.example/embed.js"></script>',
    );
    // The defaults are left out: step 1 is the embed's own default, the PBX its lens.
    expect(loaderSnippet(ORIGIN, { scenario: 'secure-call', lens: 'pbx' })).toBe(
      '<div data-trunklab-scenario="secure-call"></div>\n<script async src="https://lab.quillfeather.example/embed.js"></script>',
    );
  });

  it('writes the embed path with only the settings that differ from the defaults', () => {
    expect(embedPath({ scenario: 'secure-call' })).toBe('/embed/secure-call/');
    expect(embedPath({ scenario: 'secure-call', step: 5, lens: 'pbx', theme: 'light' })).toBe(
      '/embed/secure-call/?step=5&theme=light',
    );
  });

  it('writes a sandboxed iframe of the embed page', () => {
    const [frame, ...rest] = elements(iframeSnippet(ORIGIN, { scenario: 'secure-call', step: 5 }, 'A "title" <here>'));
    expect(rest).toEqual([]);
    expect(frame.tag).toBe('iframe');
    expect(frame.attrs).toMatchObject({
      src: `${ORIGIN}/embed/secure-call/?step=5`,
      title: 'A "title" <here>',
      sandbox: FRAME_SANDBOX,
    });
  });

  it('keeps any value inside its attribute', () => {
    const target = fc.record({
      // '.' and '..' are path segments a URL resolves away; ids never are.
      scenario: fc.string({ unit: 'grapheme' }).filter((s) => s !== '.' && s !== '..'),
      step: fc.option(fc.nat(), { nil: undefined }),
    });
    fc.assert(
      fc.property(target, fc.string({ unit: 'grapheme' }), (t: EmbedTarget, title) => {
        const loader = elements(loaderSnippet(ORIGIN, t));
        expect(loader.map((e) => e.tag)).toEqual(['div', 'script']);
        expect(loader[0].attrs['data-trunklab-scenario']).toBe(t.scenario);
        expect(loader[0].attrs['data-step']).toBe(t.step === undefined ? undefined : String(t.step));
        const frame = elements(iframeSnippet(ORIGIN, t, title));
        expect(frame.map((e) => e.tag)).toEqual(['iframe']);
        expect(frame[0].attrs.title).toBe(title);
        const src = new URL(frame[0].attrs.src);
        expect(src.origin).toBe(ORIGIN);
        expect(decodeURIComponent(src.pathname)).toBe(`/embed/${t.scenario}/`);
      }),
      { numRuns: 300 },
    );
  });
});
