import { startTestService, type TestService } from '../helpers/service.helpers';

/** GET /healthz (process alive) and GET /readyz (database reachable, migrations applied). */
describe('health routes', () => {
  let ts: TestService;

  beforeAll(async () => {
    // The last test closes the database under the running service: a request or a background
    // round caught on it may never finish, so the shutdown waits 2 s for it, not the default 30.
    ts = await startTestService({ SANDBOX: 'off', SHUTDOWN_GRACE_SECONDS: '2' });
  });

  afterAll(async () => {
    await ts.close();
  }, 60_000);

  it('/healthz answers 200', async () => {
    const res = await fetch(`${ts.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz answers 200 while the database is reachable and migrated', async () => {
    const res = await fetch(`${ts.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', database: 'ok' });
  });

  it('/readyz answers 503 when a migration is pending', async () => {
    const connection = ts.service.orm.em.getConnection();
    const [last] = (await connection.execute('select name from mikro_orm_migrations order by id desc limit 1')) as { name: string }[];
    await connection.execute(`delete from mikro_orm_migrations where name = '${last.name}'`);
    try {
      const res = await fetch(`${ts.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'not ready', database: 'unreachable or migrations pending' });
    } finally {
      await connection.execute(`insert into mikro_orm_migrations (name, executed_at) values ('${last.name}', current_timestamp)`);
    }
    expect((await fetch(`${ts.url}/readyz`)).status).toBe(200);
  });

  it('/readyz answers 503 while the database answers reads but cannot write, and 200 again once it can', async () => {
    const connection = ts.service.orm.em.getConnection();
    // SQLite's read-only switch: every write fails as on a full disk or a read-only file, while `select 1` still works.
    await connection.execute('pragma query_only = on');
    try {
      await new Promise((r) => setTimeout(r, 1100)); // past the probe's one-second reuse
      const res = await fetch(`${ts.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'not ready', database: 'cannot write (disk full, read-only file or read-only replica)' });
      expect((await fetch(`${ts.url}/healthz`)).status).toBe(200);
    } finally {
      await connection.execute('pragma query_only = off');
    }
    await new Promise((r) => setTimeout(r, 1100));
    expect((await fetch(`${ts.url}/readyz`)).status).toBe(200);
  });

  it('/readyz answers 503 while the webhook inbox (SQLite: a file of its own) cannot take writes, and 200 again once it can', async () => {
    const inbox = ts.service.inboxWriter!.knex;
    await inbox.raw('pragma query_only = on');
    try {
      await new Promise((r) => setTimeout(r, 1100)); // past the probe's one-second reuse
      const res = await fetch(`${ts.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'not ready', database: 'cannot write (disk full, read-only file or read-only replica)' });
    } finally {
      await inbox.raw('pragma query_only = off');
    }
    await new Promise((r) => setTimeout(r, 1100));
    expect((await fetch(`${ts.url}/readyz`)).status).toBe(200);
  });

  it('/readyz answers 503 and /healthz still 200 once the database is closed; GraphQL fails without internals', async () => {
    await ts.service.orm.close(true);
    const ready = await fetch(`${ts.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { status: string }).status).toBe('not ready');
    expect((await fetch(`${ts.url}/healthz`)).status).toBe(200);
    const res = await fetch(`${ts.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ products { sku } }' }),
    });
    const body = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});
