import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CATEGORIES } from '../core/reasons/categories.js';
import { isLocale, localeOfEnv, type Locale } from '../core/render/translator.js';
import { CLI_OPTIONS, EXIT, processIo, UsageError, type CliIo, type CliLine } from './io.js';

export { EXIT, type CliIo } from './io.js';

/**
 * `cancelwatch report|push FILE… [options]`, `--help`, `--version`; returns the exit code.
 * This module loads only node's argument parser: the messages, the reader and the robots load
 * with the command that needs them, so `--version` and `--help` answer at once.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const envLocale = localeOfEnv(io.env);
  let line: CliLine;
  try {
    line = readLine(argv);
    if (line.values.version) {
      io.stdout(`${packageVersion()}\n`);
      return EXIT.ok;
    }
    if (line.values.help || line.positionals.length === 0) {
      const { translator } = await import('../i18n.js');
      const tr = translator(messageLocale(argv, envLocale));
      io.stdout(`${tr.t('cli-usage')}\n${tr.t('cli-usage-push')}\n\n${tr.t('cli-usage-notes', { categories: CATEGORIES.join(', ') })}\n`);
      return EXIT.ok;
    }
    const { reportArgs, runReport } = await import('./report.js');
    const args = await reportArgs(line, envLocale);
    return await runReport(args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const { translator } = await import('../i18n.js');
    io.stderr(`${translator(messageLocale(argv, envLocale)).t(error.key, error.args)}\n`);
    return EXIT.usage;
  }
}

function readLine(argv: readonly string[]): CliLine {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: CLI_OPTIONS });
  } catch (error) {
    throw new UsageError('cli-error-bad-option', { message: error instanceof Error ? error.message : String(error) });
  }
}

/** Messages follow --lang when it is given and valid, else the environment's language. */
function messageLocale(argv: readonly string[], envLocale: Locale): Locale {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const value = i === -1 ? undefined : argv[i]?.includes('=') ? argv[i]?.split('=')[1] : argv[i + 1];
  return value && isLocale(value) ? value : envLocale;
}

/** The version in the package's own package.json, found from this module whether it runs from src/ or dist/. */
function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cancelwatch' && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) throw new Error('package.json of cancelwatch not found next to the program');
  }
}
