import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { CALL_PATTERN_SYNTAX } from './call-pattern';
import type { FaultQueue } from './fault-injection';
import type { WebhookDispatcher } from './webhook-dispatcher';

const provider = z.enum(['stripe', 'paypal']);

const faultSchema = z
  .object({
    provider,
    kind: z.enum(['latency', 'status', 'timeout']),
    count: z.number().int().min(1).default(1),
    ms: z.number().int().min(0).max(600_000).optional(),
    status: z.number().int().refine((s) => s === 429 || (s >= 500 && s <= 599), 'must be 429 or 5xx').optional(),
    // Seconds for a `Retry-After` header on the injected answer (a rate limit that says when to come back).
    retryAfter: z.number().int().min(0).max(3600).optional(),
    match: z
      .string()
      .regex(CALL_PATTERN_SYNTAX, "must be '<METHOD> <path>' or '<path>', literal except '*' within one path segment, e.g. 'POST /v1/refunds'")
      .optional(),
  })
  .strict();

const holdSchema = z.object({ provider: provider.optional(), hold: z.boolean() }).strict();
const releaseSchema = z
  .object({ provider: provider.optional(), order: z.array(z.string()).optional(), copies: z.number().int().min(1).max(20).optional() })
  .strict();
const redeliverSchema = z.object({ eventId: z.string().min(1), copies: z.number().int().min(1).max(20).optional() }).strict();
const filterSchema = z.object({ provider: provider.optional(), eventType: z.string().optional() });

/** Parse a control body; a failure answers 400 naming the offending field. */
function parse<T>(schema: z.ZodType<T>, input: unknown, res: Response): T | undefined {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(body)');
  res.status(400).json({ error: `${field}: ${issue.message}`, field });
  return undefined;
}

/** The generic `/__sandbox/` controls: deliveries, events, faults, webhook hold/release/redeliver. */
export function sandboxControls(dispatcher: WebhookDispatcher, faults: FaultQueue): Router {
  const r = express.Router();
  r.use(express.json());

  r.get('/deliveries', (req, res) => {
    const f = parse(filterSchema, req.query, res);
    if (f) res.json(dispatcher.deliveries.filter((d) => (!f.provider || d.provider === f.provider) && (!f.eventType || d.eventType === f.eventType)));
  });

  r.get('/events', (req, res) => {
    const f = parse(filterSchema, req.query, res);
    if (!f) return;
    const events = dispatcher.events.filter((e) => (!f.provider || e.provider === f.provider) && (!f.eventType || e.eventType === f.eventType));
    res.json(events.map((e) => ({ provider: e.provider, eventId: e.eventId, eventType: e.eventType, createdAt: e.createdAt, body: JSON.parse(e.job.body) as unknown })));
  });

  r.get('/faults', (_req, res) => res.json(faults.list()));
  r.post('/faults', (req, res) => {
    const f = parse(faultSchema, req.body, res);
    if (!f) return;
    const fault = { ...f, ms: f.ms ?? (f.kind === 'latency' ? 1000 : 50), status: f.status ?? 500 };
    faults.add(fault);
    res.status(201).json(fault);
  });
  r.delete('/faults', (_req, res) => {
    faults.clear();
    res.json({ cleared: true });
  });

  r.post('/webhooks/hold', (req, res) => {
    const b = parse(holdSchema, req.body, res);
    if (!b) return;
    dispatcher.hold(b.provider, b.hold);
    res.json({ provider: b.provider ?? 'all', hold: b.hold });
  });
  r.post('/webhooks/release', (req, res) => {
    const b = parse(releaseSchema, req.body, res);
    if (b) res.json({ released: dispatcher.release(b.provider, b.order, b.copies) });
  });
  r.post('/webhooks/redeliver', (req, res) => {
    const b = parse(redeliverSchema, req.body, res);
    if (!b) return;
    if (!dispatcher.redeliver(b.eventId, b.copies)) res.status(404).json({ error: `eventId: no event ${b.eventId}`, field: 'eventId' });
    else res.json({ redelivered: b.eventId, copies: b.copies ?? 1 });
  });

  r.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    // express.json() raises on malformed JSON; answer it as a control input error.
    if (err instanceof SyntaxError) res.status(400).json({ error: `body: invalid JSON (${err.message})`, field: 'body' });
    else next(err);
  });
  return r;
}
