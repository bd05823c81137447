import path from 'node:path';

/**
 * Where the data lives. SQLite (a file, or memory in tests) is the default; a `postgres://` URL
 * selects PostgreSQL. The PostgreSQL password is its own field, never part of a URL, so the
 * logger's `password` redaction covers it wherever a config object is logged.
 */
export type DatabaseConfig = SqliteDatabaseConfig | PostgreSqlDatabaseConfig;

export interface SqliteDatabaseConfig {
  kind: 'sqlite';
  /** Absolute file path, or ':memory:'. */
  path: string;
}

export interface PostgreSqlDatabaseConfig {
  kind: 'postgresql';
  host: string;
  port: number;
  user: string;
  password?: string;
  dbName: string;
  /** From `?sslmode=`: `require` encrypts, `verify-full` also checks the server's certificate. */
  ssl?: 'require' | 'verify-full';
}

const SSL_MODES = ['disable', 'require', 'verify-full'] as const;

/** Parses DATABASE_URL; each problem names the variable and what is allowed, never the password. */
export function databaseConfig(url: string | undefined, problems: string[]): DatabaseConfig {
  if (!url) return { kind: 'sqlite', path: path.resolve('data', 'payments.sqlite') };
  if (url === 'sqlite::memory:' || url === ':memory:') return { kind: 'sqlite', path: ':memory:' };
  const file = /^(?:sqlite|file):(?:\/\/)?(.+)$/.exec(url)?.[1];
  if (file) return { kind: 'sqlite', path: path.resolve(file) };
  if (/^postgres(ql)?:\/\//i.test(url)) return postgresConfig(url, problems);
  problems.push("DATABASE_URL: must be 'sqlite:<file path>', 'sqlite::memory:' or 'postgres://user:password@host:5432/database'");
  return { kind: 'sqlite', path: '' };
}

function postgresConfig(url: string, problems: string[]): DatabaseConfig {
  const example = "e.g. 'postgres://user:password@host:5432/database'";
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  const dbName = parsed ? safeDecode(parsed.pathname.replace(/^\//, '')) : undefined;
  const sslMode = parsed?.searchParams.get('sslmode') ?? 'disable';
  const unknownParams = parsed ? [...parsed.searchParams.keys()].filter((k) => k !== 'sslmode') : [];
  if (!parsed || !parsed.hostname || dbName === undefined) {
    problems.push(`DATABASE_URL: not a valid PostgreSQL URL; ${example} (special characters in the password percent-encoded)`);
  } else if (!dbName || dbName.includes('/')) {
    problems.push(`DATABASE_URL: name one database after the host, ${example}`);
  } else if (!parsed.username) {
    problems.push(`DATABASE_URL: name the user, ${example}`);
  } else if (!(SSL_MODES as readonly string[]).includes(sslMode)) {
    problems.push(`DATABASE_URL: sslmode must be one of ${SSL_MODES.join(', ')}`);
  } else if (unknownParams.length > 0) {
    problems.push(`DATABASE_URL: unsupported parameter ${unknownParams.map((k) => `'${k}'`).join(', ')}; only sslmode is understood`);
  } else {
    const password = parsed.password ? safeDecode(parsed.password) : undefined;
    return {
      kind: 'postgresql',
      host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: parsed.port ? Number(parsed.port) : 5432,
      user: safeDecode(parsed.username) ?? parsed.username,
      ...(password !== undefined ? { password } : {}),
      dbName,
      ...(sslMode === 'disable' ? {} : { ssl: sslMode as 'require' | 'verify-full' }),
    };
  }
  return { kind: 'sqlite', path: '' };
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** The database as it may appear in a log line or an error: no password. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === 'sqlite') return `sqlite:${config.path}`;
  return `postgresql://${config.user}@${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}/${config.dbName}`;
}
