import { Router } from 'express';
import { isDatabaseReady, type Orm } from '../db/orm';

/** `/healthz`: the process answers. `/readyz`: the database answers and no migration is pending. */
export function healthRoutes(orm: Orm): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ready = await isDatabaseReady(orm);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', database: ready ? 'ok' : 'unreachable or migrations pending' });
  });
  return router;
}
