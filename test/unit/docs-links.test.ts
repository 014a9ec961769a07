import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every relative link in the README, docs/ and the bench's README must lead somewhere: to a file
 * that exists and, when it names an anchor, to a heading of that file (as GitHub makes anchors).
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function markdownFiles(): string[] {
  const files = ['README.md', join('bench', 'README.md')];
  const walk = (dir: string): void => {
    if (!existsSync(join(root, dir))) return;
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  return files.filter((file) => existsSync(join(root, file)));
}

/** The text outside fenced code blocks, line by line (a fence's lines become empty). */
function proseLines(text: string): string[] {
  let fence: string | null = null;
  return text.split('\n').map((line) => {
    const opening = /^\s*(```+|~~~+)/.exec(line);
    if (opening) {
      const mark = opening[1] ?? '';
      if (fence === null) fence = mark[0] ?? null;
      else if (mark.startsWith(fence)) fence = null;
      return '';
    }
    return fence === null ? line : '';
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen, repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const plain = (heading[1] ?? '')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(plain) ?? 0;
    seen.set(plain, count + 1);
    anchors.add(count === 0 ? plain : `${plain}-${count}`);
  }
  return anchors;
}

interface Link { file: string; line: number; target: string }

function linksOf(file: string): Link[] {
  const links: Link[] = [];
  proseLines(readFileSync(join(root, file), 'utf8')).forEach((text, index) => {
    const prose = text.replace(/(`+)[^`]*?\1/g, '');
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ file, line: index + 1, target: match[1] ?? '' });
    }
  });
  return links;
}

function problemWith(link: Link): string | null {
  const { target } = link;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null; // https:, mailto: …: not ours to check here
  const hash = target.indexOf('#');
  const path = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? null : decodeURIComponent(target.slice(hash + 1));
  const resolved = path === '' ? join(root, link.file) : resolve(root, dirname(link.file), decodeURIComponent(path));
  if (!resolved.startsWith(root)) return 'leads outside the repository';
  if (!existsSync(resolved)) return `no such file: ${relative(root, resolved)}`;
  if (anchor === null || anchor === '') return null;
  if (!resolved.endsWith('.md')) return `an anchor into a file that is not markdown: ${relative(root, resolved)}`;
  return anchorsOf(readFileSync(resolved, 'utf8')).has(anchor) ? null : `no heading for #${anchor} in ${relative(root, resolved)}`;
}

describe('documentation links', () => {
  it('finds the documents and their links', () => {
    const files = markdownFiles();
    expect(files).toEqual(expect.arrayContaining(['README.md', join('bench', 'README.md'), join('docs', 'architecture.md'), join('docs', 'metrics.md')]));
    expect(files.flatMap(linksOf).length).toBeGreaterThan(20);
  });

  it('makes anchors as GitHub does', () => {
    expect([...anchorsOf('# One /rate\n## Rotating `BOT_TOKEN`\n### PostgreSQL\'s statistics\n```\n# not a heading\n```\n## Limits\n## Limits')])
      .toEqual(['one-rate', 'rotating-bot_token', 'postgresqls-statistics', 'limits', 'limits-1']);
  });

  it('every relative link resolves, anchors included', () => {
    const broken = markdownFiles().flatMap(linksOf)
      .map((link) => ({ link, problem: problemWith(link) }))
      .filter((found) => found.problem !== null)
      .map(({ link, problem }) => `${link.file}:${link.line} (${link.target}): ${problem ?? ''}`);
    expect(broken).toEqual([]);
  });
});
