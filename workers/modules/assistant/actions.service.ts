import { and, eq, isNull } from "drizzle-orm";
import { assistantActions } from "../../../schema/assistant";
import { type Actor, auditInsert } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { conflict, forbidden, gone, notFound, Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { serializeAction } from "./actions.serialize";
import { type Caller, dispatchTool, summarize } from "./dispatch";
import type { Tool } from "./tools";

export const ACTION_TTL_MS = 15 * 60 * 1000;
type ActionRow = typeof assistantActions.$inferSelect;

/** A write the assistant wants to make: stored (with an audit row), run only by confirmAction. */
export async function proposeAction(
  db: Db,
  actor: Actor,
  p: {
    tenantId: string;
    conversationId: string;
    messageId: string;
    tool: Tool;
    path: string;
    args: Record<string, unknown>;
    summary: string;
    confirmPhrase: string | null;
    proposedBy: string;
  },
): Promise<ActionRow> {
  const now = Date.now();
  const row: ActionRow = {
    tenantId: p.tenantId,
    id: newId("asa"),
    conversationId: p.conversationId,
    messageId: p.messageId,
    tool: p.tool.name,
    method: p.tool.method,
    path: p.path,
    kind: p.tool.kind === "destructive" ? "destructive" : "write",
    args: p.args,
    summary: p.summary,
    confirmPhrase: p.tool.kind === "destructive" ? (p.confirmPhrase ?? "delete") : null,
    status: "proposed",
    httpStatus: null,
    result: null,
    proposedBy: p.proposedBy,
    decidedBy: null,
    decidedAt: null,
    expiresAt: now + ACTION_TTL_MS,
    createdAt: now,
  };
  await db.batch([
    db.insert(assistantActions).values(row),
    auditInsert(db, actor, {
      tenantId: p.tenantId,
      action: "assistant.action_proposed",
      target: { type: "assistant_action", id: row.id },
      metadata: { tool: row.tool, method: row.method, path: row.path, kind: row.kind },
    }),
  ]);
  return row;
}

async function loadAction(db: Db, tenantId: string, id: string): Promise<ActionRow> {
  const row = await db
    .select()
    .from(assistantActions)
    .where(and(eq(assistantActions.tenantId, tenantId), eq(assistantActions.id, id)))
    .get();
  if (!row) throw notFound("Action");
  return row;
}

async function refuseDecided(db: Db, row: ActionRow) {
  if (row.status === "proposed" && row.expiresAt <= Date.now()) {
    await db
      .update(assistantActions)
      .set({ status: "expired" })
      .where(and(eq(assistantActions.tenantId, row.tenantId), eq(assistantActions.id, row.id)));
    throw gone("This proposal expired (15 minutes); ask the assistant again.");
  }
  if (row.status === "expired") throw gone("This proposal expired (15 minutes); ask the assistant again.");
  if (row.status !== "proposed" || row.decidedAt)
    throw conflict(`This action is already ${row.decidedAt && row.status === "proposed" ? "running" : row.status}.`, "action-decided");
}

/**
 * Runs a proposed action now, with the confirming request's own credentials: a person without the
 * route's permission gets its 403 and the action stays proposed. The claim (decided_at set while
 * still proposed) makes a second, concurrent confirm a 409 instead of a second run.
 */
export async function confirmAction(db: Db, caller: Caller, actor: Actor, id: string, typed: string | undefined) {
  const row = await loadAction(db, caller.tenantId, id);
  await refuseDecided(db, row);
  if (row.kind === "destructive" && (typed ?? "").trim() !== (row.confirmPhrase ?? "")) {
    throw new Problem(422, "confirm-phrase-mismatch", "Confirmation does not match", `Type “${row.confirmPhrase}” to confirm.`, {
      errors: [{ path: "typed", message: `must be “${row.confirmPhrase}”` }],
    });
  }
  const claimed = await db
    .update(assistantActions)
    .set({ decidedAt: Date.now(), decidedBy: actor.id })
    .where(
      and(
        eq(assistantActions.tenantId, row.tenantId),
        eq(assistantActions.id, row.id),
        eq(assistantActions.status, "proposed"),
        isNull(assistantActions.decidedAt),
      ),
    )
    .returning({ id: assistantActions.id });
  if (!claimed.length) throw conflict("This action is already decided.", "action-decided");

  const tool = { method: row.method, path: row.path, pathParams: [], queryParams: [], name: row.tool } as unknown as Tool;
  const res = await dispatchTool(caller, tool, row.method === "GET" || row.method === "DELETE" ? {} : row.args).catch((e) => ({
    status: 500,
    path: row.path,
    body: { title: "The tool failed", detail: String(e) },
  }));
  const where = and(eq(assistantActions.tenantId, row.tenantId), eq(assistantActions.id, row.id));
  if (res.status === 401 || res.status === 403) {
    // Not this person's to confirm: release the claim, record the refusal, answer with the route's words.
    await db.batch([
      db.update(assistantActions).set({ decidedAt: null, decidedBy: null }).where(where),
      auditInsert(db, actor, {
        tenantId: row.tenantId,
        action: "assistant.action_refused",
        target: { type: "assistant_action", id: row.id },
        metadata: { tool: row.tool, http_status: res.status },
      }),
    ]);
    const detail = (res.body as { detail?: string })?.detail;
    throw forbidden(detail ?? "Your role does not allow this action.");
  }
  const status = res.status < 400 ? ("done" as const) : ("failed" as const);
  const summary = summarize(res.status, res.body);
  await db.batch([
    db.update(assistantActions).set({ status, httpStatus: res.status, result: res.body }).where(where),
    auditInsert(db, actor, {
      tenantId: row.tenantId,
      action: "assistant.action_confirmed",
      target: { type: "assistant_action", id: row.id },
      metadata: { tool: row.tool, method: row.method, path: row.path, http_status: res.status, outcome: status },
    }),
  ]);
  return { status, result: res.body, summary, http_status: res.status };
}

export async function cancelAction(db: Db, tenantId: string, actor: Actor, id: string) {
  const row = await loadAction(db, tenantId, id);
  await refuseDecided(db, row);
  const now = Date.now();
  const updated = await db
    .update(assistantActions)
    .set({ status: "cancelled", decidedAt: now, decidedBy: actor.id })
    .where(
      and(
        eq(assistantActions.tenantId, tenantId),
        eq(assistantActions.id, id),
        eq(assistantActions.status, "proposed"),
        isNull(assistantActions.decidedAt),
      ),
    )
    .returning();
  if (!updated[0]) throw conflict("This action is already decided.", "action-decided");
  await auditInsert(db, actor, {
    tenantId,
    action: "assistant.action_cancelled",
    target: { type: "assistant_action", id },
    metadata: { tool: row.tool },
  });
  return serializeAction(updated[0]);
}
