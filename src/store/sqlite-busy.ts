import { CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver, type QueryResult, type SqliteDialectConfig, type TransactionSettings } from 'kysely';

/**
 * SQLite with another process writing the same file (a backup, a second instance, an
 * operator's sqlite3 shell). SQLite's own busy timeout waits synchronously, freezing every
 * chat the bot serves; here each wait is short, and the statement is tried again after an
 * asynchronous pause, with backoff, until `boundMs` have passed (then it fails, and the chat
 * gets the busy message). Write transactions start with BEGIN IMMEDIATE, so they take the write
 * lock before reading: a transaction that read first could otherwise never upgrade
 * (SQLITE_BUSY_SNAPSHOT), however long it waited.
 */
export interface BusyOptions {
  boundMs: number;
  /** Told once per statement that found the database locked (for the log). */
  onBusy?: (waitedMs: number) => void;
}

const isBusy = (error: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code ?? ''));

export class BusyRetryingSqliteDialect extends SqliteDialect {
  constructor(config: SqliteDialectConfig, private readonly busy: BusyOptions) {
    super(config);
  }

  override createDriver(): Driver {
    return new BusyRetryingDriver(super.createDriver(), this.busy);
  }
}

class BusyRetryingDriver implements Driver {
  constructor(private readonly inner: Driver, private readonly busy: BusyOptions) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new BusyRetryingConnection(await this.inner.acquireConnection(), this.busy);
  }

  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  savepoint(...args: Parameters<NonNullable<Driver['savepoint']>>): Promise<void> {
    return this.inner.savepoint?.(...args) ?? Promise.resolve();
  }

  rollbackToSavepoint(...args: Parameters<NonNullable<Driver['rollbackToSavepoint']>>): Promise<void> {
    return this.inner.rollbackToSavepoint?.(...args) ?? Promise.resolve();
  }

  releaseSavepoint(...args: Parameters<NonNullable<Driver['releaseSavepoint']>>): Promise<void> {
    return this.inner.releaseSavepoint?.(...args) ?? Promise.resolve();
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as BusyRetryingConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

class BusyRetryingConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection, private readonly busy: BusyOptions) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const started = Date.now();
    let pauseMs = 10;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.inner.executeQuery<R>(query);
      } catch (error) {
        const waited = Date.now() - started;
        if (!isBusy(error) || waited >= this.busy.boundMs) throw error;
        if (attempt === 1) this.busy.onBusy?.(waited);
        await new Promise((resolve) => setTimeout(resolve, Math.min(pauseMs, this.busy.boundMs - waited)));
        pauseMs = Math.min(pauseMs * 2, 500);
      }
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}
