/**
 * The event batch format shared by the tracker and the server API, `{ events: [{ id, name,
 * distinct_id, ts, props }] }`, and the message that carries accepted events through the
 * analytics Queue. Each event is validated on its own: bad ones are reported by index, the good
 * ones go on. Unknown top-level fields are kept in `props` (without overwriting a property).
 */
import { z } from "@hono/zod-openapi";
import { newId } from "../../platform/ids";

export const MAX_EVENTS_PER_BATCH = 500;
export const MAX_PROPS_BYTES = 16 * 1024;
/** Events may be back-dated (imports) but not from the future beyond clock skew. */
export const MAX_FUTURE_MS = 60 * 60 * 1000;
const MIN_TS = Date.UTC(2000, 0, 1);

const KNOWN = new Set(["id", "name", "distinct_id", "ts", "props"]);

const eventSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\w.:-]+$/, "letters, digits and . _ : - only")
    .optional(),
  name: z.string().trim().min(1).max(200),
  distinct_id: z.union([z.string().trim().min(1).max(200), z.number().finite().transform(String)]),
  ts: z.union([z.number().int(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]).optional(),
  props: z.record(z.string(), z.unknown()).optional(),
});

export const batchBodySchema = z
  .object({
    events: z
      .array(z.unknown())
      .min(1)
      .max(MAX_EVENTS_PER_BATCH)
      .openapi({ description: `Up to ${MAX_EVENTS_PER_BATCH} events: { id?, name, distinct_id, ts?, props? }` }),
    sent_at: z
      .union([z.number().int(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))])
      .optional()
      .openapi({ description: "When the client sent the batch (its clock): event times are shifted by the client's clock skew" }),
  })
  .openapi("EventBatch");

/** An accepted event as it travels on the Queue. */
export interface QueuedEvent {
  id: string;
  name: string;
  distinct_id: string;
  ts: number;
  props: Record<string, unknown>;
}

export const queuedEventSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  distinct_id: z.string().min(1).max(200),
  ts: z.number().int(),
  props: z.record(z.string(), z.unknown()),
});

export const ingestMessageSchema = z.object({
  v: z.literal(1),
  tenantId: z.string().min(1).max(64),
  source: z.enum(["web", "server"]),
  receivedAt: z.number().int(),
  userAgent: z.string().max(512).nullable(),
  country: z.string().max(8).nullable(),
  /** Over-quota tracker traffic: the share kept (1 = everything), recorded on each event. */
  sampleRate: z.number().min(0).max(1),
  events: z.array(queuedEventSchema).min(1),
});
export type IngestMessage = z.infer<typeof ingestMessageSchema>;

export interface EventError {
  index: number;
  errors: { path: string; message: string }[];
}

/**
 * Splits a batch into accepted events (normalised) and per-index errors. `skewMs` (server time −
 * client `sent_at`) corrects a client clock that is off, as PostHog does.
 */
export function normalizeBatch(raw: unknown[], now: number, skewMs = 0): { events: QueuedEvent[]; errors: EventError[] } {
  const events: QueuedEvent[] = [];
  const errors: EventError[] = [];
  const seen = new Set<string>();
  raw.forEach((item, index) => {
    if (!item || typeof item !== "object" || Array.isArray(item)) {
      errors.push({ index, errors: [{ path: "", message: "must be an object" }] });
      return;
    }
    const parsed = eventSchema.safeParse(item);
    if (!parsed.success) {
      errors.push({ index, errors: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
      return;
    }
    const e = parsed.data;
    const props: Record<string, unknown> = { ...(e.props ?? {}) };
    for (const [k, v] of Object.entries(item)) if (!KNOWN.has(k) && !(k in props)) props[k] = v;
    const size = JSON.stringify(props).length;
    if (size > MAX_PROPS_BYTES) {
      errors.push({ index, errors: [{ path: "props", message: `properties are ${size} bytes; the limit is ${MAX_PROPS_BYTES}` }] });
      return;
    }
    const ts = e.ts === undefined ? now : e.ts + skewMs;
    if (!Number.isFinite(ts) || ts < MIN_TS || ts > now + MAX_FUTURE_MS) {
      errors.push({ index, errors: [{ path: "ts", message: "must be a time after 2000-01-01 and not in the future" }] });
      return;
    }
    const id = e.id ?? newId("evt");
    if (seen.has(id)) {
      errors.push({ index, errors: [{ path: "id", message: "repeats an earlier event id in this batch" }] });
      return;
    }
    seen.add(id);
    events.push({ id, name: e.name, distinct_id: e.distinct_id, ts, props });
  });
  return { events, errors };
}

/** Queue messages of ≤ ~100 KB each (the Queue's limit is 128 KB per message). */
export function chunkForQueue(events: QueuedEvent[], maxBytes = 100_000): QueuedEvent[][] {
  const chunks: QueuedEvent[][] = [];
  let cur: QueuedEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const n = JSON.stringify(e).length + 1;
    if (cur.length && bytes + n > maxBytes) {
      chunks.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(e);
    bytes += n;
  }
  if (cur.length) chunks.push(cur);
  return chunks;
}
