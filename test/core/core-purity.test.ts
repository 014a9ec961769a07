import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * test/core holds the core's fast tests: no database, no process, no worker, no network. This
 * keeps it so, following every import a test loads (the fixtures' and support files' too, to
 * any depth): none may reach the store, a fake server, or a package that opens a database,
 * starts a process or thread, or talks over the network. Anything that does belongs in test/unit.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const CORE_TESTS = join(ROOT, 'test', 'core');

/** Folders (from the project root) whose modules a core test must not load. */
const FORBIDDEN_FOLDERS = ['src/store/', 'src/files/', 'src/bot/', 'src/server/', 'src/schedule/', 'src/tiktok/', 'src/robots/', 'src/net/', 'test/fakes/'];
/** Test support that opens databases, starts the bot or the CLI, or takes ports. */
const FORBIDDEN_FILES = ['test/support/databases.ts', 'test/support/cleanup.ts', 'test/support/bot-harness.ts', 'test/support/cli.ts', 'test/support/child-env.ts', 'test/support/ports.ts'];
/** Packages that open a database, start a process or thread, or talk over the network. */
const FORBIDDEN_PACKAGES = /^(node:)?(child_process|worker_threads|cluster|http|https|http2|net|dgram)$|^(better-sqlite3|pg|pg-copy-streams|kysely|undici|grammy|@grammyjs\/.*)$/;

interface Imports { modules: string[]; computed: number }

/** A file's runtime imports (`import type` is erased, so left out), and how many `import()` name no literal. */
function importsOf(file: string): Imports {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const modules: string[] = [];
  let computed = 0;
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
      if (!typeOnly) modules.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) modules.push(arg.text);
      else computed++;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { modules, computed };
}

/** Why each file `entry` loads, to any depth, is out of bounds for a core test: one line per finding. */
export function impurities(entry: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const path = new Map<string, string>([[entry, relative(ROOT, entry)]]);
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const { modules, computed } = importsOf(file);
    const via = path.get(file)!;
    if (computed > 0) found.push(`${via}: import() of a computed path (cannot be checked)`);
    for (const spec of modules) {
      if (!spec.startsWith('.')) {
        if (FORBIDDEN_PACKAGES.test(spec)) found.push(`${via} → ${spec}`);
        continue;
      }
      let target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      if (!existsSync(target)) target = join(target.replace(/\.ts$/, ''), 'index.ts');
      const name = relative(ROOT, target).split('\\').join('/');
      if (FORBIDDEN_FOLDERS.some((folder) => name.startsWith(folder)) || FORBIDDEN_FILES.includes(name)) {
        found.push(`${via} → ${name}`);
        continue;
      }
      if (!existsSync(target)) continue;
      if (!path.has(target)) path.set(target, `${via} → ${name}`);
      stack.push(target);
    }
  }
  return found;
}

describe('the core tests', () => {
  const files = readdirSync(CORE_TESTS).filter((f) => f.endsWith('.test.ts')).map((f) => join(CORE_TESTS, f));

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s loads no database, process, worker, network or fake server', (_name, file) => {
    expect(impurities(file)).toEqual([]);
  });

  it('the check sees through support files to the store, the fakes and child processes', () => {
    const unit = (name: string) => join(ROOT, 'test', 'unit', name);
    // Through test/support/databases.ts and src/store/store.ts.
    expect(impurities(unit('store.test.ts'))).toEqual(expect.arrayContaining([
      'test/unit/store.test.ts → src/store/store.ts',
      'test/unit/store.test.ts → test/support/databases.ts',
    ]));
    expect(impurities(unit('upload-folders.test.ts'))).toContain('test/unit/upload-folders.test.ts → node:child_process');
    expect(impurities(unit('robot-client.test.ts'))).toContain('test/unit/robot-client.test.ts → test/fakes/dingtalk-robot.ts');
    // Two levels down: reading an export from disk goes through src/files.
    expect(impurities(unit('real-world-exports.test.ts'))).toContain('test/unit/real-world-exports.test.ts → src/use-cases/read-export.ts → src/files/file-source.ts');
  });
});
