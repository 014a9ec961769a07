/** The words after a command (`/rate 30d US` → ['30d', 'US']). */
export function commandArgs(match: string | RegExpMatchArray | undefined): string[] {
  const text = typeof match === 'string' ? match : '';
  return text.trim().split(/\s+/).filter(Boolean);
}
