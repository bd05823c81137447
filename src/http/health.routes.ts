import { Router } from 'express';
import { isDatabaseReady, type Orm } from '../db/orm';

/** How long one write probe's answer is reused: /readyz is public, and each probe is a real write. */
const WRITE_PROBE_TTL_MS = 1000;

/**
 * A real, committed write that changes nothing: the last migration row rewritten with its own
 * name. A full disk (SQLITE_FULL), a read-only file or a read-only PostgreSQL replica all fail it,
 * where `select 1` still succeeds.
 */
async function canWrite(orm: Orm): Promise<boolean> {
  try {
    await orm.em.getConnection().execute('update mikro_orm_migrations set name = name where id = (select max(id) from mikro_orm_migrations)');
    return true;
  } catch {
    return false;
  }
}

/** `/healthz`: the process answers. `/readyz`: the database answers, can write, and no migration is pending. */
export function healthRoutes(orm: Orm, canStoreWebhooks: () => Promise<boolean> = async () => true): Router {
  const router = Router();
  let probe: { at: number; result: Promise<boolean> } | undefined;
  const writable = () => {
    // SQLite keeps the webhook inbox in a file of its own: both must take writes.
    if (!probe || Date.now() - probe.at > WRITE_PROBE_TTL_MS) probe = { at: Date.now(), result: Promise.all([canWrite(orm), canStoreWebhooks()]).then((both) => both.every(Boolean)) };
    return probe.result;
  };
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (!(await isDatabaseReady(orm))) {
      res.status(503).json({ status: 'not ready', database: 'unreachable or migrations pending' });
      return;
    }
    if (!(await writable())) {
      res.status(503).json({ status: 'not ready', database: 'cannot write (disk full, read-only file or read-only replica)' });
      return;
    }
    res.json({ status: 'ready', database: 'ok' });
  });
  return router;
}
