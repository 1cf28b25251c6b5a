// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import svelte from '@astrojs/svelte';
import carrier from './content/carrier.json' with { type: 'json' };

export default defineConfig({
  srcDir: './site',
  outDir: './dist',
  site: 'http://localhost:4321',
  trailingSlash: 'ignore',
  integrations: [
    starlight({
      title: 'Secure Trunk Lab',
      description: `Learn, teach and troubleshoot secure SIP trunking with ${carrier.name}: SIP over mutual TLS and SRTP, computed live.`,
      sidebar: [{ label: 'Knowledge base', autogenerate: { directory: 'docs' } }],
      pagefind: true,
    }),
    svelte(),
  ],
  vite: {
    worker: { format: 'es' },
  },
});
