import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { eq } from "drizzle-orm";
import { salesDrafts } from "../../../schema/sales-sequences";
import { getDb, tenantScope } from "../../platform/db";
import { getConfig } from "../../platform/env";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { enrolLeads, listEnrollments, stopEnrollmentManually } from "./enrol.service";
import { processInbound } from "./inbound";
import { createMailbox, deleteMailbox, listMailboxes, updateMailbox } from "./mailboxes.service";
import {
  devReplyInput,
  enrolInput,
  enrollmentSchema,
  enrolResult,
  inboundResult,
  mailboxInput,
  mailboxPatch,
  mailboxSchema,
  sequenceInput,
  sequencePatch,
  sequenceSchema,
} from "./sequences.schemas";
import {
  activateSequence,
  archiveSequence,
  createSequence,
  deleteSequence,
  getSequence,
  listSequences,
  pauseSequence,
  updateSequence,
} from "./sequences.service";
import { replyAddress } from "./send";

/** Mailboxes, sequences, enrolments and the dev inbox (mounted at /api/v1; docs/sales.md). */
export const outreachRoutes = createRouter();
const tags = ["Outreach"];
const mailboxParam = idParam("id", "mbx_01jd0000000000000000000000");
const sequenceParam = idParam("id", "seq_01jd0000000000000000000000");
const enrollmentParam = idParam("id", "enr_01jd0000000000000000000000");
const READ = { auth: "tenant", permission: "sales:read" } as const;
const WRITE = { auth: "tenant", permission: "sales:write" } as const;
const MANAGE = { auth: "tenant", permission: "sales:manage" } as const;
const db = (c: { env: { DB: D1Database } }) => getDb(c.env.DB);

// ---- Mailboxes --------------------------------------------------------------------------------

outreachRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/outreach/mailboxes",
    tags,
    summary: "Sending mailboxes (with today's sends)",
    request: { query: pageQuerySchema },
    responses: { 200: jsonResponse(pageSchema(mailboxSchema), "Newest first") },
  }),
  async (c) => c.json(await listMailboxes(db(c), currentTenantId(c), c.req.valid("query")), 200),
);
outreachRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/outreach/mailboxes",
    tags,
    summary: "Add a sending mailbox (from address, daily limit, sending window, days, time zone, signature)",
    request: jsonBody(mailboxInput),
    responses: { 201: jsonResponse(mailboxSchema, "Created"), 409: problemDoc("A mailbox already sends from this address") },
  }),
  async (c) => c.json(await createMailbox(db(c), currentTenantId(c), c.req.valid("json"), actorOf(c)), 201),
);
outreachRoutes.openapi(
  defineRoute(MANAGE, {
    method: "patch",
    path: "/outreach/mailboxes/{id}",
    tags,
    summary: "Change a mailbox",
    request: { params: mailboxParam, ...jsonBody(mailboxPatch) },
    responses: {
      200: jsonResponse(mailboxSchema, "Updated"),
      404: problemDoc("No such mailbox"),
      409: problemDoc("Address taken or window inverted"),
    },
  }),
  async (c) =>
    c.json(await updateMailbox(db(c), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json"), actorOf(c)), 200),
);
outreachRoutes.openapi(
  defineRoute(MANAGE, {
    method: "delete",
    path: "/outreach/mailboxes/{id}",
    tags,
    summary: "Delete a mailbox no sequence sends from",
    request: { params: mailboxParam },
    responses: { 204: noContent, 404: problemDoc("No such mailbox"), 409: problemDoc("A sequence sends from it") },
  }),
  async (c) => {
    await deleteMailbox(db(c), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);

// ---- Sequences ---------------------------------------------------------------------------------

outreachRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/outreach/sequences",
    tags,
    summary: "Sequences with their steps and variants",
    request: { query: pageQuerySchema.extend({ status: z.enum(["draft", "active", "paused", "archived"]).optional() }) },
    responses: { 200: jsonResponse(pageSchema(sequenceSchema), "Newest first") },
  }),
  async (c) => c.json(await listSequences(db(c), currentTenantId(c), c.req.valid("query")), 200),
);
outreachRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/outreach/sequences",
    tags,
    summary: "Create a sequence (a draft until activated)",
    request: jsonBody(sequenceInput),
    responses: { 201: jsonResponse(sequenceSchema, "Created"), 404: problemDoc("No such mailbox") },
  }),
  async (c) => c.json(await createSequence(db(c), currentTenantId(c), c.req.valid("json"), actorOf(c)), 201),
);
outreachRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/outreach/sequences/{id}",
    tags,
    summary: "A sequence with its steps, variants and counters",
    request: { params: sequenceParam },
    responses: { 200: jsonResponse(sequenceSchema, "The sequence"), 404: problemDoc("No such sequence") },
  }),
  async (c) => c.json(await getSequence(db(c), currentTenantId(c), c.req.valid("param").id as string), 200),
);
outreachRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/outreach/sequences/{id}",
    tags,
    summary: "Change a sequence; `steps` replaces the list (steps and variants with an id are kept)",
    request: { params: sequenceParam, ...jsonBody(sequencePatch) },
    responses: {
      200: jsonResponse(sequenceSchema, "Updated"),
      404: problemDoc("No such sequence"),
      409: problemDoc("Archived, or the change would leave an active sequence unable to send"),
    },
  }),
  async (c) =>
    c.json(await updateSequence(db(c), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json"), actorOf(c)), 200),
);
outreachRoutes.openapi(
  defineRoute(MANAGE, {
    method: "delete",
    path: "/outreach/sequences/{id}",
    tags,
    summary: "Delete a sequence that is not active (its steps, enrolments and unsent drafts)",
    request: { params: sequenceParam },
    responses: { 204: noContent, 404: problemDoc("No such sequence"), 409: problemDoc("The sequence is active") },
  }),
  async (c) => {
    await deleteSequence(c.env, db(c), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);
outreachRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/outreach/sequences/{id}/activate",
    tags,
    summary: "Activate (the first activation uses one campaign of the plan)",
    request: { params: sequenceParam },
    responses: {
      200: jsonResponse(sequenceSchema, "Active"),
      402: problemDoc("The plan's campaigns limit is reached (upgrade link inside)"),
      404: problemDoc("No such sequence"),
      409: problemDoc("Archived"),
    },
  }),
  async (c) =>
    c.json(await activateSequence(c.env, db(c), currentTenantId(c), c.req.valid("param").id as string, actorOf(c), appOrigin(c)), 200),
);
outreachRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/outreach/sequences/{id}/pause",
    tags,
    summary: "Pause: nothing is drafted or scheduled until it is activated again",
    request: { params: sequenceParam },
    responses: { 200: jsonResponse(sequenceSchema, "Paused"), 404: problemDoc("No such sequence"), 409: problemDoc("Not active") },
  }),
  async (c) => c.json(await pauseSequence(db(c), currentTenantId(c), c.req.valid("param").id as string, actorOf(c)), 200),
);
outreachRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/outreach/sequences/{id}/archive",
    tags,
    summary: "Archive for good: enrolments finish, unsent drafts are cancelled, the campaign is given back",
    request: { params: sequenceParam },
    responses: { 200: jsonResponse(sequenceSchema, "Archived"), 404: problemDoc("No such sequence") },
  }),
  async (c) => c.json(await archiveSequence(c.env, db(c), currentTenantId(c), c.req.valid("param").id as string, actorOf(c)), 200),
);

// ---- Enrolment ---------------------------------------------------------------------------------

outreachRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/outreach/sequences/{id}/enrol",
    tags,
    summary: "Enrol leads by id or by filter (skips are counted per reason)",
    request: { params: sequenceParam, ...jsonBody(enrolInput) },
    responses: { 200: jsonResponse(enrolResult, "Enrolled"), 404: problemDoc("No such sequence"), 409: problemDoc("Archived") },
  }),
  async (c) => c.json(await enrolLeads(db(c), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json"), actorOf(c)), 200),
);
outreachRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/outreach/sequences/{id}/enrollments",
    tags,
    summary: "A sequence's enrolments (status, step, next run, stop reason)",
    request: { params: sequenceParam, query: pageQuerySchema.extend({ status: z.enum(["active", "paused", "finished"]).optional() }) },
    responses: { 200: jsonResponse(pageSchema(enrollmentSchema), "Newest first"), 404: problemDoc("No such sequence") },
  }),
  async (c) => c.json(await listEnrollments(db(c), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("query")), 200),
);
outreachRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/outreach/enrollments/{id}/stop",
    tags,
    summary: "Stop an enrolment (its unsent drafts are cancelled)",
    request: { params: enrollmentParam },
    responses: {
      200: jsonResponse(enrollmentSchema, "Stopped"),
      404: problemDoc("No such enrolment"),
      409: problemDoc("Already finished"),
    },
  }),
  async (c) => c.json(await stopEnrollmentManually(db(c), currentTenantId(c), c.req.valid("param").id as string, actorOf(c)), 200),
);

// ---- Dev inbox (local only) --------------------------------------------------------------------

outreachRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/outreach/dev-inbox/reply",
    tags,
    summary: "Local only: reply to a sent draft as the lead (the same path as a real inbound reply)",
    request: jsonBody(devReplyInput),
    responses: {
      200: jsonResponse(inboundResult, "Processed"),
      404: problemDoc("Not local, or no such draft"),
      409: problemDoc("The draft has not been sent"),
    },
  }),
  async (c) => {
    if (!getConfig(c.env).isLocal) throw notFound("Route");
    const tenantId = currentTenantId(c);
    const b = c.req.valid("json");
    const draft = await db(c)
      .select({ status: salesDrafts.status })
      .from(salesDrafts)
      .where(tenantScope(db(c), tenantId).where(salesDrafts, eq(salesDrafts.id, b.draft_id)))
      .get();
    if (!draft) throw notFound("Draft");
    if (draft.status !== "sent") throw conflict(`Only a sent email can be answered; this draft is ${draft.status}.`, "draft-not-sent");
    const r = await processInbound(
      c.env,
      {
        provider: "dev",
        providerMessageId: newId("devmsg"),
        from: "", // the lead's own address (processInbound fills it)
        to: replyAddress(c.env, b.draft_id),
        subject: b.subject ?? "Re:",
        text: b.text,
        inReplyTo: null,
        references: null,
        receivedAt: Date.now(),
      },
      tenantId,
    );
    if (!r.matched) throw notFound("Draft");
    return c.json(r, 200);
  },
);
