// @ts-check
// The build prerenders pages that run the engine, whose certificates come from @peculiar/x509,
// which needs the Reflect metadata polyfill loaded first in the process (TOOLCHAIN.md, gotcha 2).
import 'reflect-metadata';
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import svelte from '@astrojs/svelte';
import carrier from './content/carrier.json' with { type: 'json' };
import { mermaidRehypePlugins } from './site/components/docs/build-time-mermaid.mjs';
import { knowledgeBaseSidebar } from './site/components/docs/sidebar.mjs';
import { contentSecurityPolicy } from './site/security/content-security-policy.mjs';
import { rehypeBaseLinks } from './site/config/base-links.mjs';
import { siteAddress, SITE_URL_VARIABLE } from './site/config/site-address.mjs';
import { noUnrenderedPlaceholders } from './site/config/unrendered-placeholders.mjs';
import { interactionDirective } from './site/config/interaction-directive.mjs';

// Where the site is served: TRUNKLAB_SITE_URL, else the carrier profile's `site` (README, "Deploy").
const { site, base } = siteAddress(process.env[SITE_URL_VARIABLE], carrier.site);

export default defineConfig({
  srcDir: './site',
  // The knowledge base's icon (Starlight links /favicon.svg from every article).
  publicDir: './site/public',
  outDir: './dist',
  site,
  base,
  trailingSlash: 'ignore',
  integrations: [
    starlight({
      title: 'Secure Trunk Lab',
      description: `Learn, teach and troubleshoot secure SIP trunking with ${carrier.name}: SIP over mutual TLS and SRTP, computed live.`,
      sidebar: knowledgeBaseSidebar(),
      pagefind: true,
      customCss: ['./site/components/docs/docs.css'],
      // Long commands wrap rather than scroll: a scrolling code block is a region keyboard users cannot reach.
      expressiveCode: { defaultProps: { wrap: true } },
      // Search loads its UI when first opened, keeping articles within their JavaScript budget.
      components: { Search: './site/components/docs/SearchOnDemand.astro' },
    }),
    svelte(),
    // Live figures hydrate when a reader first reaches for one: the build has drawn their first frame.
    interactionDirective(),
    // Every built page gets a Content-Security-Policy with its inline scripts hashed.
    contentSecurityPolicy(),
    // No page may show a reader `{files.chain}` or `${carrier.domain}` left unfilled.
    noUnrenderedPlaceholders(),
  ],
  markdown: {
    rehypePlugins: [
      // Mermaid diagrams in articles become inline SVG at build time (no mermaid JS shipped).
      ...(await mermaidRehypePlugins()),
      // Articles link to site paths (`/docs/…`); under a base path those get its prefix.
      [rehypeBaseLinks, { base }],
    ],
  },
  vite: {
    worker: { format: 'es' },
  },
});
