import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import type { AbstractSqlConnection } from '@mikro-orm/knex';
import { openDatabase } from '../db/orm';
import { openReadPool } from '../db/read-pool';
import { takeTurnsOnWriter, WriterTurns } from '../db/writer-turns';
import { createAppPubSub } from '../graphql/pubsub';
import { createLogger } from '../logging/logger';
import { forwardRecordings } from '../observability/metrics';
import { startTracing } from '../observability/tracing';
import { traceQueries } from '../observability/tracing.hooks';
import type { ApplierThreadSetup, FromApplier, ToApplier } from './applier-thread.messages';
import { createProviders } from './providers';
import { createServices } from './services';

/**
 * The webhook inbox worker's own thread (started by applier-thread.ts): its own database
 * connections and service graph, only the applying loop running. Its log lines, metrics and
 * "a commit happened" go to the serving thread, which writes, exposes and publishes them.
 */
async function run(setup: ApplierThreadSetup): Promise<void> {
  const port = parentPort!;
  const post = (message: FromApplier) => port.postMessage(message);
  forwardRecordings((recording) => post({ kind: 'metric', recording }));
  const logger = createLogger(setup.logLevel, { write: (line: string) => post({ kind: 'log', line }) }).child({ thread: 'webhook-applier' });
  const { config } = setup;
  // Traced like the serving thread, with its own exporter (OTEL_* variables): its spans are the applier's batches.
  const tracing = config.tracing.exporter ? await startTracing(config.tracing.exporter) : undefined;
  const orm = await openDatabase(config.database, { poolSize: Math.min(4, config.databasePoolSize) }, { migrate: false });
  const knex = (orm.em.getConnection() as AbstractSqlConnection).getKnex();
  if (setup.writerTurns) takeTurnsOnWriter(knex, new WriterTurns(setup.writerTurns, 'applier'));
  traceQueries(knex, config.database.kind);
  const reads = openReadPool(config.database, orm);
  let committedQueued = false;
  // Results sent to the serving thread, by id, until it answers that they are committed.
  const resultsInFlight = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let lastResultsId = 0;
  const services = createServices(config, orm.em, createAppPubSub(undefined), logger, createProviders(config, setup.sandboxUrl), () => setup.publicUrl, setup.inbox, () => reads.knex, {
    appending: setup.appending,
    resultsToInbox: (results) =>
      new Promise<void>((resolve, reject) => {
        const id = ++lastResultsId;
        resultsInFlight.set(id, { resolve, reject });
        post({ kind: 'results', id, results });
      }),
    committed: () => {
      // One message for all the changes one commit publishes.
      if (committedQueued) return;
      committedQueued = true;
      queueMicrotask(() => {
        committedQueued = false;
        post({ kind: 'committed' });
      });
    },
  });
  services.webhooks.startApplying();
  port.on('message', (message: ToApplier) => {
    if (message.kind === 'wake') services.webhooks.wakeApplier();
    else if (message.kind === 'results-written') {
      const waiting = resultsInFlight.get(message.id);
      resultsInFlight.delete(message.id);
      if (message.error === undefined) waiting?.resolve();
      else waiting?.reject(new Error(message.error));
    } else
      void (async () => {
        await services.webhooks.stop();
        await reads.close();
        await orm.close();
        await tracing?.shutdown();
        post({ kind: 'stopped' });
        // Ends this thread only, whatever timers the service graph holds.
        process.exit(0);
      })();
  });
  post({ kind: 'ready' });
}

// A failure to start rejects unhandled, which ends the thread: the serving thread sees its error and exit.
void run(workerData as ApplierThreadSetup);
