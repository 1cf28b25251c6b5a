/**
 * The knowledge-base articles as the browser tests see them: each article's
 * URL, title and description, read from its frontmatter in content/docs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../content/docs/docs/', import.meta.url));

export interface ArticleInfo {
  name: string;
  path: string;
  title: string;
  description: string;
  /** How many live steps of the lab it embeds (`<LiveStep …/>` that resolve to a step). */
  liveSteps: number;
  /** How many diagrams it draws (mermaid code blocks, `<Diagram>` and `<RunDiagram>`). */
  diagrams: number;
}

export function articles(): ArticleInfo[] {
  return readdirSync(DIR)
    .filter((f) => /\.mdx?$/.test(f))
    .sort()
    .map((file) => {
      const source = readFileSync(DIR + file, 'utf8');
      const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(source)?.[1].trim() ?? '';
      const name = file.replace(/\.mdx?$/, '');
      const liveSteps = source.match(/^\s*<LiveStep\b/gm)?.length ?? 0;
      const diagrams = source.match(/^\s*(```mermaid|<Diagram\b|<RunDiagram\b)/gm)?.length ?? 0;
      return {
        name,
        path: `/docs/${name}/`,
        title: field('title'),
        description: field('description'),
        liveSteps,
        diagrams,
      };
    });
}
