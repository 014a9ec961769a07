/**
 * multipart/form-data parts by name, as the platforms read them. Written here because the
 * WHATWG parser in Node rejects the compact headers grammY sends (`content-disposition:form-data;name="x"`),
 * which Telegram accepts; a part needs no filename (axios sends a Buffer without one).
 */
export function multipartParts(body: Buffer, boundary: string): Array<{ name: string; filename?: string; body: Buffer }> {
  const parts: Array<{ name: string; filename?: string; body: Buffer }> = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8');
      const name = /name="?([^";\r\n]+)"?/i.exec(headers)?.[1];
      const filename = /filename="?([^";\r\n]+)"?/i.exec(headers)?.[1];
      if (name) parts.push({ name, ...(filename !== undefined ? { filename } : {}), body: part.subarray(split + 4) });
    }
    start = next;
  }
  return parts;
}
