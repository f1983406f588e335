import type { Context } from "hono";
import { actorOf } from "../../platform/audit";
import type { AppEnv } from "../../platform/context";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { variantFigures } from "./bandit.service";
import {
  draftEditInput,
  draftListQuery,
  draftRejectInput,
  draftSchema,
  variantsSchema,
  writerSettingsInput,
  writerSettingsSchema,
} from "./drafts.schemas";
import {
  approveDraft,
  type DraftRow,
  editDraft,
  getDraftRow,
  listDrafts,
  presentDraft,
  regenerateDraft,
  rejectDraft,
} from "./drafts.service";
import { getWriterSettings, putWriterSettings, serializeWriterSettings } from "./writer-settings.service";

/** The writer's drafts and their approval, writer settings, variant (bandit) figures (mounted at /api/v1; docs/sales.md). */
export const draftsRoutes = createRouter();

const tags = ["Outreach"];
const draftParam = idParam("id", "drf_01jd0000000000000000000000");
const sequenceParam = idParam("id", "seq_01jd0000000000000000000000");
const READ = { auth: "tenant", permission: "sales:read" } as const;
const APPROVE = { auth: "tenant", permission: "sales:approve" } as const;
const MANAGE = { auth: "tenant", permission: "sales:manage" } as const;
const db = (c: { env: { DB: D1Database } }) => getDb(c.env.DB);
/** A draft with its display fields (lead name/email/company, variant label). */
const present = (c: Context<AppEnv>, row: DraftRow) => presentDraft(db(c), currentTenantId(c), row);
const decided = problemDoc(
  "The draft is not in a state that allows this (already decided, held by the safety rules, or the enrolment stopped)",
);

draftsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/outreach/drafts",
    tags,
    summary:
      "Drafts written for sequence steps, newest first: the approval queue (status=pending) and history; filter by status, sequence and lead",
    request: { query: draftListQuery },
    responses: { 200: jsonResponse(pageSchema(draftSchema), "A page of drafts") },
  }),
  async (c) => c.json(await listDrafts(db(c), currentTenantId(c), c.req.valid("query")), 200),
);
draftsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/outreach/drafts/{id}",
    tags,
    summary: "A draft with the knowledge it was grounded on and the safety rules that fired",
    request: { params: draftParam },
    responses: { 200: jsonResponse(draftSchema, "The draft") },
  }),
  async (c) => c.json(await present(c, await getDraftRow(db(c), currentTenantId(c), c.req.valid("param").id as string)), 200),
);
draftsRoutes.openapi(
  defineRoute(APPROVE, {
    method: "patch",
    path: "/outreach/drafts/{id}",
    tags,
    summary: "Edit a draft's subject or body; the AI safety rules check the edited text again (held if one fires, else pending approval)",
    request: { params: draftParam, ...jsonBody(draftEditInput) },
    responses: { 200: jsonResponse(draftSchema, "The edited draft"), 409: decided },
  }),
  async (c) =>
    c.json(
      await present(
        c,
        await editDraft(c.env, db(c), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json"), actorOf(c)),
      ),
      200,
    ),
);
draftsRoutes.openapi(
  defineRoute(APPROVE, {
    method: "post",
    path: "/outreach/drafts/{id}/approve",
    tags,
    summary: "Approve a pending draft: the engine schedules it in the lead's sending window",
    request: { params: draftParam },
    responses: { 200: jsonResponse(draftSchema, "The approved draft"), 409: decided },
  }),
  async (c) => c.json(await present(c, await approveDraft(db(c), currentTenantId(c), c.req.valid("param").id as string, actorOf(c))), 200),
);
draftsRoutes.openapi(
  defineRoute(APPROVE, {
    method: "post",
    path: "/outreach/drafts/{id}/reject",
    tags,
    summary: "Reject a draft with a reason; the enrolment skips the step (default) or stops",
    request: {
      params: draftParam,
      body: { required: false, content: { "application/json": { schema: draftRejectInput } } },
    },
    responses: { 200: jsonResponse(draftSchema, "The rejected draft"), 409: decided },
  }),
  async (c) =>
    c.json(
      await present(
        c,
        await rejectDraft(
          db(c),
          currentTenantId(c),
          c.req.valid("param").id as string,
          c.req.valid("json") ?? { enrollment: "skip" },
          actorOf(c),
        ),
      ),
      200,
    ),
);
draftsRoutes.openapi(
  defineRoute(APPROVE, {
    method: "post",
    path: "/outreach/drafts/{id}/regenerate",
    tags,
    summary: "Write a pending or held draft again (same variant), then apply the safety rules again",
    request: { params: draftParam },
    responses: { 200: jsonResponse(draftSchema, "The rewritten draft"), 409: decided },
  }),
  async (c) =>
    c.json(await present(c, await regenerateDraft(c.env, db(c), currentTenantId(c), c.req.valid("param").id as string, actorOf(c))), 200),
);

draftsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/outreach/writer",
    tags,
    summary: "The writer's settings: tone, persona, value propositions, length, knowledge grounding",
    responses: { 200: jsonResponse(writerSettingsSchema, "The settings (defaults until saved)") },
  }),
  async (c) => c.json(serializeWriterSettings(await getWriterSettings(db(c), currentTenantId(c))), 200),
);
draftsRoutes.openapi(
  defineRoute(MANAGE, {
    method: "put",
    path: "/outreach/writer",
    tags,
    summary: "Change the writer's settings (fields left out keep their value)",
    request: jsonBody(writerSettingsInput),
    responses: { 200: jsonResponse(writerSettingsSchema, "The saved settings") },
  }),
  async (c) => {
    const tenantId = currentTenantId(c);
    const cur = await getWriterSettings(db(c), tenantId);
    const x = c.req.valid("json");
    const saved = await putWriterSettings(
      db(c),
      tenantId,
      {
        tone: x.tone ?? cur.tone,
        persona: x.persona ?? cur.persona,
        value_props: x.value_props ?? cur.valueProps,
        max_words: x.max_words ?? cur.maxWords,
        use_knowledge: x.use_knowledge ?? cur.useKnowledge,
        collection: x.collection === undefined ? cur.collection : x.collection,
      },
      actorOf(c),
    );
    return c.json(serializeWriterSettings(saved), 200);
  },
);

draftsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/outreach/sequences/{id}/variants",
    tags,
    summary: "The bandit's arms per email step: sends, replies, positive replies, rates and each active arm's probability of being best",
    request: { params: sequenceParam },
    responses: { 200: jsonResponse(variantsSchema, "Per step, its variants") },
  }),
  async (c) => c.json(await variantFigures(db(c), currentTenantId(c), c.req.valid("param").id as string), 200),
);
