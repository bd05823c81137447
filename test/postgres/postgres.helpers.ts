import { randomBytes } from 'node:crypto';
import { knex, type Knex } from '@mikro-orm/knex';
import type { SandboxOptions } from '../../src/sandbox/core/sandbox.types';
import { startTestService, type TestService } from '../helpers/service.helpers';

/**
 * The PostgreSQL server these suites run against: TEST_POSTGRES_URL, a role allowed to create
 * databases. .ci/run starts one (test/postgres/pg-cluster.sh); without it the suites fail, never skip.
 */
export function testPostgresUrl(): string {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      'TEST_POSTGRES_URL is not set: the test/postgres suites need a PostgreSQL server. ' +
        "Start one with `eval \"$(test/postgres/pg-cluster.sh start)\"` (it exports TEST_POSTGRES_URL; as .ci/run does), " +
        'or point it at any server where this role may CREATE DATABASE.',
    );
  }
  return url;
}

/** A database of its own for one suite; `drop()` removes it, disconnecting whatever is still attached. */
export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(label: string): Promise<ScratchDatabase> {
  const admin = new URL(testPostgresUrl());
  const name = `payments_test_${label}_${randomBytes(4).toString('hex')}`;
  await withAdmin(admin, (db) => db.raw('create database ??', [name]));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withAdmin(admin, (db) => db.raw('drop database if exists ?? with (force)', [name])),
  };
}

async function withAdmin(url: URL, work: (db: Knex) => Promise<unknown>): Promise<void> {
  const db = knex({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 1 } });
  try {
    await work(db);
  } finally {
    await db.destroy();
  }
}

/** The service on a fresh PostgreSQL database; `close()` stops it and drops the database. */
export async function startPostgresService(
  label: string,
  env: Record<string, string> = {},
  sandbox: Partial<SandboxOptions> = {},
): Promise<TestService & { database: ScratchDatabase }> {
  const database = await createScratchDatabase(label);
  let ts: TestService;
  try {
    ts = await startTestService({ ...env, DATABASE_URL: database.url }, sandbox);
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    ...ts,
    database,
    close: async () => {
      try {
        await ts.close();
      } finally {
        await database.drop();
      }
    },
  };
}
