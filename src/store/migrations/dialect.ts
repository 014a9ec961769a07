/** The engines a migration is written for: each one that differs says how. */
export type Dialect = 'sqlite' | 'postgres';
