// @ts-check
/**
 * `client:interaction`: an island that hydrates when the reader first
 * reaches for it (a pointer over it, a touch, focus, a key), not when it is
 * scrolled into view. For islands whose first frame the build has drawn
 * already (an article's live figure): the reader sees the step at once, and
 * the page ships no island script until someone uses one
 * (site/components/figure/hydrate-on-interaction.js).
 */
import { fileURLToPath } from 'node:url';

/** @returns {import('astro').AstroIntegration} */
export function interactionDirective() {
  return {
    name: 'trunklab:interaction-directive',
    hooks: {
      'astro:config:setup': ({ addClientDirective }) => {
        addClientDirective({
          name: 'interaction',
          entrypoint: fileURLToPath(new URL('../components/figure/hydrate-on-interaction.js', import.meta.url)),
        });
      },
    },
  };
}
