/**
 * The check over the built site for placeholders that reach readers
 * (site/config/unrendered-placeholders.mjs): an MDX expression left inside
 * backticks, or a template string never evaluated, is found in a page's
 * visible text, even when a code sample's highlighting cuts it into pieces;
 * scripts and data are not read.
 */
import { describe, expect, it } from 'vitest';
import { unrenderedPlaceholders } from '../../site/config/unrendered-placeholders.mjs';

const page = (body: string) => `<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`;

describe('unrenderedPlaceholders', () => {
  it('finds braced expressions and template placeholders in text', () => {
    expect(unrenderedPlaceholders(page('<li>The carrier’s root (<code>{files.root}</code>)</li>'))).toEqual([
      expect.stringMatching(/^\{files\.root\} in "…/),
    ]);
    expect(unrenderedPlaceholders(page('<p>allow https://*.${carrier.domain} here</p>'))).toEqual([
      expect.stringMatching(/^\$\{carrier\.domain\} in "….*allow https:\/\/\*\.\$\{carrier\.domain\} here…"$/),
    ]);
  });

  it('reads a highlighted code sample as its reader does, across its tokens', () => {
    const code =
      '<pre><code><span>frame.style.height = `</span><span>$</span><span>{</span><span>height</span><span>}px`</span></code></pre>';
    expect(unrenderedPlaceholders(page(code))).toHaveLength(1);
  });

  it('does not join separate blocks into a placeholder, and leaves scripts and data alone', () => {
    expect(unrenderedPlaceholders(page('<p>a {</p><p>b}</p><p>{ not: an identifier }</p>'))).toEqual([]);
    expect(
      unrenderedPlaceholders(
        page(
          '<script>const a = `${x}`;</script><script type="application/json">{"a":"{files.root}"}</script><style>a{color:red}</style>',
        ),
      ),
    ).toEqual([]);
  });
});
