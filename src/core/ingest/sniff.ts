import { bomCharset, unmarkedUtf16 } from './charset.js';

/** The opening bytes a file is judged by: its kind here, its charset and separator in text-layout.ts. */
export const SNIFF_BYTES = 64 * 1024;

/** What a file really is, judged from its first bytes rather than its name. */
export type FileKind = 'empty' | 'zip' | 'legacy-xls' | 'pdf' | 'image' | 'binary' | 'text';

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

export function sniffKind(first: Uint8Array): FileKind {
  if (first.length === 0) return 'empty';
  if (startsWith(first, [0x50, 0x4b, 0x03, 0x04]) || startsWith(first, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(first, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'legacy-xls';
  if (startsWith(first, [0x25, 0x50, 0x44, 0x46])) return 'pdf';
  if (startsWith(first, [0x89, 0x50, 0x4e, 0x47]) || startsWith(first, [0xff, 0xd8, 0xff]) || startsWith(first, [0x47, 0x49, 0x46])) return 'image';
  // Excel's "Unicode text" is UTF-16: NUL bytes in every other place. Text in the other encodings we read has none.
  if (bomCharset(first) || unmarkedUtf16(first)) return 'text';
  if (first.includes(0)) return 'binary';
  return 'text';
}

/**
 * What a file's name says it is, before a byte is read (the bot checks this before it downloads
 * anything): `.csv`/`.txt` text, `.xlsx` a zip, `.xls` the old binary workbook, anything else binary.
 * The bytes still decide once the file is read.
 */
export function kindOfName(name: string): FileKind {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'text';
  if (lower.endsWith('.xlsx')) return 'zip';
  if (lower.endsWith('.xls')) return 'legacy-xls';
  return 'binary';
}

/** The kinds an order export can be: CSV text or an XLSX workbook. */
export const isExportKind = (kind: FileKind): boolean => kind === 'text' || kind === 'zip';
