/** Starlight's virtual module that SearchOnDemand.astro reads, as Starlight's own Search does. */
declare module 'virtual:starlight/pagefind-config' {
  export const pagefindUserConfig: Record<string, unknown>;
}
