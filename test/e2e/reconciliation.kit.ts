/**
 * The provider status sync under test: a service whose sync runs every 0.3 s with no waiting
 * period, its log lines captured, and helpers to read what the order's event log says it did.
 */
import { createLogger } from '../../src/logging/logger';
import { control } from '../helpers/sandbox.helpers';
import { captureLogs, startTestService, type TestService } from '../helpers/service.helpers';

/** Starts the service and sandbox with a fast sync; `logs` sees every line at info and above. */
export async function startSyncedService(env: Record<string, string> = {}): Promise<{ ts: TestService; logs: ReturnType<typeof captureLogs> }> {
  const logs = captureLogs();
  const ts = await startTestService(
    { RECONCILE_INTERVAL_SECONDS: '0.3', RECONCILE_AFTER_SECONDS: '0', ...env },
    {},
    { logger: createLogger('info', logs.stream) },
  );
  return { ts, logs };
}

type OrderEvent = { type: string; toStatus: string | null; fromStatus: string | null; source: string; message: string | null; at: string };

/** The order's status changes into `status`. */
export function transitionsTo(order: Record<string, any>, status: string): OrderEvent[] {
  return (order.events as OrderEvent[]).filter((e) => e.type === 'STATUS_CHANGED' && e.toStatus === status);
}

/** Adds a sandbox fault (CONTRACT §5 controls); throws unless the sandbox took it. */
export async function addFault(ts: TestService, fault: Record<string, unknown>): Promise<void> {
  const res = await control(ts.service.sandbox!, 'POST', '/faults', fault);
  if (res.status !== 201) throw new Error(`fault refused: ${JSON.stringify(res.body)}`);
}

export async function clearFaults(ts: TestService): Promise<void> {
  await control(ts.service.sandbox!, 'DELETE', '/faults');
}
