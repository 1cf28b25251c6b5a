/** `client:interaction` (site/config/interaction-directive.mjs), for the type checker. */
import 'astro';

declare module 'astro' {
  interface AstroClientDirectives {
    'client:interaction'?: boolean;
  }
}
