/**
 * The knowledge base's sidebar, listed from the articles themselves: every
 * `content/docs/docs/*.md(x)`, ordered by its frontmatter `sidebar.order`
 * (then by title), labelled with its title.
 *
 * Starlight's `autogenerate` cannot be used here: it finds a directory by
 * the path it expects articles under (`<srcDir>/content/docs`), and ours live
 * in the top-level `content/` folder, so it would list nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ARTICLES = join(process.cwd(), 'content', 'docs', 'docs');

/** `order` under `sidebar:` in an article's frontmatter, if any. */
function sidebarOrder(frontmatter) {
  const m = /^sidebar:\s*\n(?:[ \t]+.*\n)*?[ \t]+order:\s*(-?\d+)/m.exec(frontmatter);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}

export function knowledgeBaseSidebar() {
  const items = readdirSync(ARTICLES)
    .filter((file) => /\.mdx?$/.test(file))
    .map((file) => {
      const source = readFileSync(join(ARTICLES, file), 'utf8');
      const frontmatter = /^---\n([\s\S]*?)\n---/.exec(source)?.[1] ?? '';
      const title = /^title:\s*(.*)$/m.exec(frontmatter)?.[1] ?? file;
      return { slug: `docs/${file.replace(/\.mdx?$/, '')}`, order: sidebarOrder(`${frontmatter}\n`), title };
    })
    .sort((a, b) => a.order - b.order || a.title.localeCompare(b.title))
    .map(({ slug }) => ({ slug }));
  return [{ label: 'Knowledge base', items }];
}
