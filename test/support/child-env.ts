/**
 * The environment every child process of the tests starts from: PATH, and the moved clock of a
 * run under libfaketime (LD_PRELOAD and FAKETIME*), so the bot and the CLI live in the same
 * time as the test that talks to them. Nothing else leaks in from the machine.
 */
export function childEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '' };
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (name === 'LD_PRELOAD' || name.startsWith('FAKETIME'))) env[name] = value;
  }
  return env;
}
