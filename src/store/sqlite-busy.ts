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

/** Told after each write is committed: a transaction's commit, or a writing statement outside any (see checkpoints.ts). */
export type AfterWrite = () => void;

export class BusyRetryingSqliteDialect extends SqliteDialect {
  constructor(config: SqliteDialectConfig, private readonly busy: BusyOptions, private readonly afterWrite: AfterWrite | null = null) {
    super(config);
  }

  override createDriver(): Driver {
    return new BusyRetryingDriver(super.createDriver(), this.busy, this.afterWrite);
  }
}

class BusyRetryingDriver implements Driver {
  /** SQLite has one connection: whether a transaction is open on it. */
  inTransaction = false;

  constructor(readonly inner: Driver, readonly busy: BusyOptions, readonly afterWrite: AfterWrite | null) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new BusyRetryingConnection(this, await this.inner.acquireConnection());
  }

  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    this.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.inner.commitTransaction(connection);
    this.inTransaction = false;
    this.afterWrite?.();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.rollbackTransaction(connection);
    } catch (error) {
      // A full disk (SQLITE_FULL), an I/O error or no memory ends the transaction inside SQLite
      // itself: the work is already undone, and the error that did it is the one to report.
      if (!/no transaction is active/i.test((error as Error).message)) throw error;
    } finally {
      this.inTransaction = false;
    }
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
    return this.inner.releaseConnection((connection as BusyRetryingConnection).current);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

class BusyRetryingConnection implements DatabaseConnection {
  constructor(private readonly driver: BusyRetryingDriver, public current: DatabaseConnection) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { boundMs, onBusy } = this.driver.busy;
    const started = Date.now();
    let pauseMs = 10;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.current.executeQuery<R>(query);
        // A statement outside a transaction commits by itself; selects report no affected rows.
        if (!this.driver.inTransaction && (result.numAffectedRows ?? 0n) > 0n) this.driver.afterWrite?.();
        return result;
      } catch (error) {
        const waited = Date.now() - started;
        if (!isBusy(error) || waited >= boundMs) throw error;
        if (attempt === 1) onBusy?.(waited);
        const pause = new Promise((resolve) => setTimeout(resolve, Math.min(pauseMs, boundMs - waited)));
        pauseMs = Math.min(pauseMs * 2, 500);
        if (this.driver.inTransaction) {
          await pause;
        } else {
          // Outside a transaction the one connection is lent to other queries (other chats) meanwhile.
          await this.driver.inner.releaseConnection(this.current);
          await pause;
          this.current = await this.driver.inner.acquireConnection();
        }
      }
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.current.streamQuery<R>(query, chunkSize);
  }
}
