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

export default defineConfig({
  srcDir: './site',
  outDir: './dist',
  site: 'http://localhost:4321',
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
    // Every built page gets a Content-Security-Policy with its inline scripts hashed.
    contentSecurityPolicy(),
  ],
  markdown: {
    // Mermaid diagrams in articles become inline SVG at build time (no mermaid JS shipped).
    rehypePlugins: await mermaidRehypePlugins(),
  },
  vite: {
    worker: { format: 'es' },
  },
});
