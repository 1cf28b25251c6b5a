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
}

export function articles(): ArticleInfo[] {
  return readdirSync(DIR)
    .filter((f) => /\.mdx?$/.test(f))
    .sort()
    .map((file) => {
      const source = readFileSync(DIR + file, 'utf8');
      const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(source)?.[1].trim() ?? '';
      const name = file.replace(/\.mdx?$/, '');
      return { name, path: `/docs/${name}/`, title: field('title'), description: field('description') };
    });
}
