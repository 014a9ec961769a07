import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * A folder's import rule: no imports from the sibling folders `folders` or the top-level modules
 * `modules` (relative paths, at any depth), nor from the packages `packages`; `typeOnly` folders may be
 * named by `import type` alone.
 */
function layer(files, folders, modules, message, packages = [], typeOnly = []) {
  const up = '^(\\.\\./)+';
  const patterns = [];
  if (folders.length > 0) patterns.push({ regex: `${up}(${folders.join('|')})/`, message });
  if (modules.length > 0) patterns.push({ regex: `${up}(${modules.join('|')})\\.js$`, message });
  if (packages.length > 0) patterns.push({ group: packages, message });
  if (typeOnly.length > 0) patterns.push({ regex: `${up}(${typeOnly.join('|')})/`, message, allowTypeImports: true });
  return { files, rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] } };
}

/** The chat platforms' adapters (Telegram's is src/bot), and the SDK each alone may import. */
const PLATFORM_SDKS = {
  bot: ['grammy', '@grammyjs/*'],
  feishu: ['@larksuiteoapi/*'],
  dingtalk: ['dingtalk-stream'],
  wecom: ['@wecom/*'],
};
const PLATFORM_FOLDERS = Object.keys(PLATFORM_SDKS);
const CHAT_SDKS = Object.values(PLATFORM_SDKS).flat();

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/out/', 'data/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['bin/*.js', 'eslint.config.js'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  // Layers point one way: core <- store, files, chart, net, ops, robots (and the i18n, logger, config helpers)
  // <- use-cases <- bot, schedule, tiktok, server, cli <- app <- main. Each folder may import
  // only from the layers below it; the edges do not import one another.
  layer(['src/core/**/*.ts'], ['store', 'files', 'chart', 'net', 'ops', 'robots', 'use-cases', 'conversation', ...PLATFORM_FOLDERS, 'schedule', 'tiktok', 'server', 'cli'], ['i18n', 'logger', 'config', 'app', 'main'],
    'src/core is pure: adapters live outside it.',
    [...CHAT_SDKS, 'better-sqlite3', 'kysely', 'pg', 'pino', 'node:fs', 'node:fs/*', 'node:http', 'node:https', 'node:net', 'fs', 'fs/*', 'http', 'https', 'net']),
  layer(['src/store/**/*.ts', 'src/files/**/*.ts', 'src/chart/**/*.ts', 'src/net/**/*.ts', 'src/ops/**/*.ts', 'src/robots/**/*.ts', 'src/i18n.ts', 'src/logger.ts', 'src/config.ts'],
    ['use-cases', 'conversation', ...PLATFORM_FOLDERS, 'schedule', 'tiktok', 'server', 'cli'], ['app', 'main'], 'Storage, files, charts, the network, robots and operations helpers sit below the use cases and the edges.', CHAT_SDKS),
  layer(['src/use-cases/**/*.ts'], ['conversation', ...PLATFORM_FOLDERS, 'schedule', 'tiktok', 'server', 'cli'], ['app', 'main'],
    'Use cases know no edge: the bot, scheduler, TikTok and HTTP call them, not the other way.', CHAT_SDKS),
  // The conversation is written once for every chat platform: no platform's SDK or adapter in it.
  layer(['src/conversation/**/*.ts'], [...PLATFORM_FOLDERS, 'schedule', 'tiktok', 'server', 'cli'], ['app', 'main'],
    'The conversation knows no platform: each adapter (src/bot, src/feishu, …) calls it through the ports in conversation/platform.ts.', CHAT_SDKS),
  ...PLATFORM_FOLDERS.map((folder) => layer([`src/${folder}/**/*.ts`], [...PLATFORM_FOLDERS.filter((f) => f !== folder), 'schedule', 'tiktok', 'server', 'cli'], ['app', 'main'],
    'A platform adapter reaches TikTok, the scheduler and the other platforms through ports in src/conversation and src/use-cases.',
    CHAT_SDKS.filter((sdk) => !PLATFORM_SDKS[folder].includes(sdk)))),
  layer(['src/schedule/**/*.ts'], [...PLATFORM_FOLDERS, 'tiktok', 'server', 'cli'], ['app', 'main'], 'The scheduler is an edge of its own: shared code goes to src/use-cases or src/conversation.',
    CHAT_SDKS.filter((sdk) => !PLATFORM_SDKS.bot.includes(sdk))),
  layer(['src/tiktok/**/*.ts'], [...PLATFORM_FOLDERS, 'schedule', 'server', 'cli'], ['app', 'main'], 'TikTok talks to people through the LinkNotices port, not the bot.', CHAT_SDKS),
  // The webhook route hands updates to the bot, so it may name the bot's types (and nothing more).
  layer(['src/server/**/*.ts'], ['schedule', 'tiktok', 'cli', 'use-cases'], ['app', 'main'], 'The HTTP server only routes requests to handlers the app gives it.', [], ['bot']),
  layer(['src/cli/**/*.ts'], [...PLATFORM_FOLDERS, 'conversation', 'schedule', 'tiktok', 'server'], ['app', 'main'], 'The CLI is an edge of its own.'),
  layer(['src/app.ts'], [], ['main'], 'main starts the app, not the other way.'),
  // A migration must do on a database upgraded late what it did when it shipped: it carries its
  // own SQL and constants, and names only Kysely and the migrations before it, never code that
  // goes on changing (reason categories, rollups, the schema's types). The list names only them.
  ...[
    [['src/store/migrations/**/*.ts'], '^(?!kysely$|\\./[^/]+$)'],
    [['src/store/migrations.ts'], '^(?!kysely$|\\./migrations/[^/]+$)'],
  ].map(([files, regex]) => ({
    files,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ regex, message: 'A migration is frozen: copy what it needs into it; import only kysely and the migrations folder.' }] }] },
  })),
  {
    files: ['bench/**/*.ts', 'demo/**/*.ts', 'test/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly' } },
  },
);
