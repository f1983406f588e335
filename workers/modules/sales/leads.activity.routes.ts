import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { type ActivityKind, salesActivities } from "../../../schema/sales";
import { activityValues, listActivities, serializeActivity } from "./activities.service";
import type { ActivityRow } from "./types";
import { getLeadRow } from "./leads.service";
import { activityQuery, activitySchema, callInput, meetingInput, noteInput } from "./leads.schemas";
import type { Db } from "../../platform/db";

/** A lead's timeline: list, notes, calls and meetings (mounted by routes.ts at /api/v1). */
export const leadActivityRoutes = createRouter();

const tags = ["Sales"];
const READ = { auth: "tenant", permission: "sales:read" } as const;
const WRITE = { auth: "tenant", permission: "sales:write" } as const;
const leadParam = idParam("id", "lead_01jd0000000000000000000000");

const CALL_OUTCOMES: Record<string, string> = {
  connected: "Connected",
  left_voicemail: "Left a voicemail",
  no_answer: "No answer",
  busy: "Busy",
  wrong_number: "Wrong number",
  meeting_booked: "Meeting booked",
};

/** Writes one activity on a live lead (and its company) and answers it. */
async function addToLead(
  db: Db,
  tenantId: string,
  leadId: string,
  a: { kind: ActivityKind; actorId: string | null; summary: string; data: Record<string, unknown>; occurredAt?: number },
) {
  const lead = await getLeadRow(db, tenantId, leadId);
  const row = activityValues(tenantId, { ...a, leadId: lead.id, companyId: lead.companyId }) as ActivityRow;
  await db.insert(salesActivities).values(row);
  return row;
}

leadActivityRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/leads/{id}/activities",
    tags,
    summary: "A lead's timeline, newest first (emails, calls, meetings, notes, tasks, stage changes…)",
    request: { params: leadParam, query: activityQuery },
    responses: { 200: jsonResponse(pageSchema(activitySchema), "A page of activities") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const lead = await getLeadRow(db, tenantId, c.req.valid("param").id as string);
    const q = c.req.valid("query");
    return c.json(await listActivities(db, tenantId, { leadId: lead.id }, { ...q, kind: q.kind as ActivityKind | undefined }), 200);
  },
);
leadActivityRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/leads/{id}/notes",
    tags,
    summary: "Add a note to a lead's timeline",
    request: { params: leadParam, ...jsonBody(noteInput) },
    responses: { 201: jsonResponse(activitySchema, "The note") },
  }),
  async (c) => {
    const { body } = c.req.valid("json");
    const a = await addToLead(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, {
      kind: "note",
      actorId: actorOf(c).id,
      summary: body.length > 200 ? `${body.slice(0, 199)}…` : body,
      data: { body },
    });
    return c.json(serializeActivity(a), 201);
  },
);
leadActivityRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/leads/{id}/calls",
    tags,
    summary: "Log a call (outcome, duration, notes) on a lead's timeline",
    request: { params: leadParam, ...jsonBody(callInput) },
    responses: { 201: jsonResponse(activitySchema, "The call") },
  }),
  async (c) => {
    const b = c.req.valid("json");
    const mins = Math.round(b.duration_s / 60);
    const a = await addToLead(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, {
      kind: "call",
      actorId: actorOf(c).id,
      summary: `Call: ${CALL_OUTCOMES[b.outcome] ?? b.outcome}${b.duration_s ? ` (${mins ? `${mins} min` : `${b.duration_s} s`})` : ""}`,
      data: { outcome: b.outcome, duration_s: b.duration_s, notes: b.notes },
      occurredAt: b.occurred_at ? Date.parse(b.occurred_at) : undefined,
    });
    return c.json(serializeActivity(a), 201);
  },
);
leadActivityRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/leads/{id}/meetings",
    tags,
    summary: "Log a meeting on a lead's timeline",
    request: { params: leadParam, ...jsonBody(meetingInput) },
    responses: { 201: jsonResponse(activitySchema, "The meeting") },
  }),
  async (c) => {
    const b = c.req.valid("json");
    const a = await addToLead(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, {
      kind: "meeting",
      actorId: actorOf(c).id,
      summary: `Meeting: ${b.title}`,
      data: { title: b.title, notes: b.notes },
      occurredAt: b.occurred_at ? Date.parse(b.occurred_at) : undefined,
    });
    return c.json(serializeActivity(a), 201);
  },
);
