/**
 * Why a request to another server failed, in words an operator reads in a log line: the
 * error's cause chain (undici wraps the system error; grammY wraps undici's) is walked for a
 * code it knows. Messages are never copied: a URL in one may hold the bot token.
 */
export type FailureCause = 'dns' | 'refused' | 'reset' | 'timeout' | 'tls' | 'proxy' | 'unauthorized' | 'server-error' | 'rate-limited' | 'no-space' | 'other';

const WORDS: Record<FailureCause, string> = {
  dns: 'the host name does not resolve (DNS)',
  refused: 'the connection was refused',
  reset: 'the connection was closed or reset',
  timeout: 'no answer in time (timeout)',
  tls: 'the TLS handshake failed (certificate or protocol)',
  proxy: 'the proxy refused or failed the connection',
  unauthorized: 'the server refused the credentials (bot token revoked or wrong)',
  'server-error': 'the server answered with an error (5xx)',
  'rate-limited': 'the server asked to slow down (429)',
  'no-space': 'no space left on the device',
  other: 'an unexpected error',
};

export interface Failure { cause: FailureCause; words: string; code: string | null }

const BY_CODE: Array<[RegExp, FailureCause]> = [
  [/^(ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NONAME)$/, 'dns'],
  [/^ECONNREFUSED$/, 'refused'],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED|ERR_STREAM_PREMATURE_CLOSE)$/, 'reset'],
  [/^(ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|ABORT_ERR|23)$/, 'timeout'],
  [/^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|EPROTO)/, 'tls'],
  [/^(UND_ERR_PRX_TLS|ERR_PROXY|UND_ERR_PROXY)/, 'proxy'],
  // The system's full disk or quota, SQLite's full database file, PostgreSQL's disk_full (53100: "could not extend file").
  [/^(ENOSPC|EDQUOT|SQLITE_FULL|53100)$/, 'no-space'],
];

/** The cause of `error`, from its code or its cause chain; `httpStatus` when an answer came. */
export function describeFailure(error: unknown, httpStatus?: number): Failure {
  if (httpStatus !== undefined) {
    const cause: FailureCause = httpStatus === 401 || httpStatus === 403 ? 'unauthorized' : httpStatus === 429 ? 'rate-limited' : httpStatus >= 500 ? 'server-error' : 'other';
    return { cause, words: `${WORDS[cause]}: HTTP ${httpStatus}`, code: String(httpStatus) };
  }
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    const code = (e as { code?: unknown }).code;
    const name = (e as { name?: unknown }).name;
    if (typeof code === 'string' || typeof code === 'number') {
      const match = BY_CODE.find(([pattern]) => pattern.test(String(code)));
      if (match) return { cause: match[1], words: WORDS[match[1]], code: String(code) };
    }
    // undici reports a proxy's refusal as an abort: the message is what tells it apart.
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && /proxy/i.test(message)) return { cause: 'proxy', words: WORDS.proxy, code: null };
    if (typeof message === 'string' && /timed out/i.test(message)) return { cause: 'timeout', words: WORDS.timeout, code: null };
    // PostgreSQL names a full disk in words when the file it extends is not a table's (a temporary one, the WAL).
    if (typeof message === 'string' && /no space left on device|could not extend file/i.test(message)) return { cause: 'no-space', words: WORDS['no-space'], code: null };
    if (name === 'AbortError' || name === 'TimeoutError') return { cause: 'timeout', words: WORDS.timeout, code: String(name) };
    e = (e as { cause?: unknown; error?: unknown }).cause ?? (e as { error?: unknown }).error;
  }
  return { cause: 'other', words: WORDS.other, code: null };
}

/** True when `error` (or what it wraps) is a full disk or quota. */
export const isNoSpace = (error: unknown): boolean => describeFailure(error).cause === 'no-space';
