import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Api } from 'grammy';
import type { OutboundFetch } from '../net/outbound.js';
import { FetchError, type FetchFile } from '../use-cases/import-upload.js';
import { saveDownload } from '../use-cases/save-download.js';

/**
 * Fetches chat files to `dir`: `getFile`, then the file route of the Bot API server. A
 * self-hosted server in local mode answers with a path on its own disk, used as it is. The
 * URL holds the bot token, so it appears in no error or log. At most `maxBytes` are written.
 * Failures are FetchErrors saying whether Telegram refused the file or the transfer broke.
 */
export function telegramFiles(api: Api, settings: { apiRoot: string; token: string; fetch?: OutboundFetch | undefined }, dir: string): FetchFile {
  return async (fileId, maxBytes) => {
    let file;
    try {
      file = await api.getFile(fileId);
    } catch (error) {
      throw new FetchError('telegram', 'getFile failed', { cause: error });
    }
    const filePath = file.file_path;
    if (!filePath) throw new FetchError('telegram', 'no file_path');
    if (isAbsolute(filePath) && existsSync(filePath)) return { path: filePath, temporary: false };
    const target = join(dir, `${file.file_unique_id}-${Date.now()}`);
    let response: Response;
    try {
      response = await (settings.fetch ?? fetch)(`${settings.apiRoot}/file/bot${settings.token}/${filePath}`);
    } catch (error) {
      // The message of a failed fetch can hold the URL, and with it the token: only the kind is kept.
      throw new FetchError('transfer', `transfer failed (${(error as Error).name})`);
    }
    await saveDownload(response, target, maxBytes);
    return { path: target, temporary: true };
  };
}

/** One file fetched to `dir` (see telegramFiles). */
export function downloadFile(api: Api, settings: { apiRoot: string; token: string; fetch?: OutboundFetch | undefined }, fileId: string, dir: string, maxBytes: number): Promise<{ path: string; temporary: boolean }> {
  return telegramFiles(api, settings, dir)(fileId, maxBytes);
}
