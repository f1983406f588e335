import type { Context } from "hono";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb, type Db } from "../../platform/db";
import { validationFailed } from "../../platform/errors";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { requireFeature } from "../billing";
import { leadLabels } from "../sales";
import { deleteCall, getCallRow, listCalls, proposalsOf, resetForRetry, updateCall, type CallRow } from "./calls.service";
import { processCall } from "./pipeline";
import { callFromForm, callFromJson, type MultipartForm } from "./upload";
import { acceptProposal, dismissProposal } from "./proposals.service";
import {
  acceptInput,
  callListQuery,
  callPatchInput,
  callSchema,
  callSummarySchema,
  multipartInput,
  proposalSchema,
  serializeCall,
  serializeCallSummary,
  serializeProposal,
  speechStatusSchema,
  transcriptInput,
} from "./schemas";
import { MAX_RECORDING_BYTES, speechStatus } from "./speech";

/** Voice-to-action (mounted at /api/v1; docs/sales.md): calls, their transcripts and analysis, and the proposals a person decides on. */
export const voiceRoutes = createRouter();

const tags = ["Sales calls"];
const READ = { auth: "tenant", permission: "sales:read" } as const;
const WRITE = { auth: "tenant", permission: "sales:write" } as const;
const FEATURE = "voice_to_action" as const;
const callParam = idParam("id", "call_01jd0000000000000000000000");
const proposalParams = callParam.extend(idParam("proposal_id", "prop_01jd0000000000000000000000").shape);
const gated = problemDoc("The plan does not include voice-to-action");

/** The call with its lead's name and its proposals, as the call page reads it. */
async function callView(db: Db, tenantId: string, call: CallRow) {
  const [labels, proposals] = await Promise.all([
    leadLabels(db, tenantId, call.leadId ? [call.leadId] : []),
    proposalsOf(db, tenantId, call.id),
  ]);
  return serializeCall(call, call.leadId ? (labels.get(call.leadId) ?? null) : null, proposals);
}

/** Transcription and analysis after the response (a long recording takes longer than a request should). */
function inBackground(c: Context<AppEnv>, tenantId: string, callId: string) {
  c.executionCtx.waitUntil(processCall(c.env, tenantId, callId));
}

voiceRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/calls/speech",
    tags,
    summary: "Which speech adapter transcribes recordings here (the local stand-in takes transcripts only) and the accepted formats",
    responses: { 200: jsonResponse(speechStatusSchema, "The speech adapter"), 402: gated },
  }),
  async (c) => {
    await requireFeature(c, FEATURE);
    return c.json({ ...speechStatus(c.env), transcript_formats: ["vtt", "srt", "text"], max_recording_bytes: MAX_RECORDING_BYTES }, 200);
  },
);

voiceRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/calls",
    tags,
    summary:
      "Upload a call: a transcript (JSON `transcript`, or multipart `file` .vtt/.srt/.txt or `transcript` field; VTT, SRT or “Speaker: line” text) or a recording (multipart `file`, audio ≤ 25 MB; needs a speech provider). Analysis runs in the background — poll GET /sales/calls/{id}",
    request: {
      body: {
        required: true,
        content: { "application/json": { schema: transcriptInput }, "multipart/form-data": { schema: multipartInput } },
      },
    },
    responses: {
      201: jsonResponse(callSchema, "Stored; status transcribed (analysis follows) or pending (a recording being transcribed)"),
      402: gated,
      404: problemDoc("The lead or deal is not in this workspace"),
      413: problemDoc("The recording or transcript is too large"),
      415: problemDoc("The recording's type is not an audio type"),
      422: problemDoc("The transcript is malformed (the line is named), or recordings need a speech provider here"),
    },
  }),
  async (c) => {
    await requireFeature(c, FEATURE);
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const actor = actorOf(c);
    const type = c.req.header("content-type") ?? "";
    const call: CallRow = type.startsWith("multipart/form-data")
      ? await callFromForm(c.env, db, tenantId, c.req.valid("form") as MultipartForm, actor)
      : await callFromJson(db, tenantId, c.req.valid("json"), actor);
    inBackground(c, tenantId, call.id);
    return c.json(await callView(db, tenantId, call), 201);
  },
);

voiceRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/calls",
    tags,
    summary: "Calls, newest first; `q` searches titles and transcripts, `status` and `lead_id` filter",
    request: { query: callListQuery },
    responses: { 200: jsonResponse(pageSchema(callSummarySchema), "A page of calls"), 402: gated },
  }),
  async (c) => {
    await requireFeature(c, FEATURE);
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const { rows, page } = await listCalls(db, tenantId, c.req.valid("query"));
    const labels = await leadLabels(
      db,
      tenantId,
      rows.flatMap((r) => (r.leadId ? [r.leadId] : [])),
    );
    return c.json(page((r) => serializeCallSummary(r, r.leadId ? (labels.get(r.leadId) ?? null) : null, Number(r.open))) as never, 200);
  },
);

voiceRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/calls/{id}",
    tags,
    summary: "A call: transcript segments (speakers, times), summary, action items and proposals",
    request: { params: callParam },
    responses: { 200: jsonResponse(callSchema, "The call"), 402: gated },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const call = await getCallRow(db, tenantId, c.req.valid("param").id as string);
    await requireFeature(c, FEATURE);
    return c.json(await callView(db, tenantId, call), 200);
  },
);

voiceRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/sales/calls/{id}",
    tags,
    summary: "Rename a call or link it to a lead/deal (a ticket or the email needs a lead with an email address)",
    request: { params: callParam, ...jsonBody(callPatchInput) },
    responses: { 200: jsonResponse(callSchema, "The call"), 402: gated },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const id = c.req.valid("param").id as string;
    await getCallRow(db, tenantId, id);
    await requireFeature(c, FEATURE);
    const body = c.req.valid("json");
    const call = await updateCall(
      db,
      tenantId,
      id,
      {
        title: body.title,
        leadId: body.lead_id === undefined ? undefined : body.lead_id || null,
        dealId: body.deal_id === undefined ? undefined : body.deal_id || null,
        occurredAt: body.occurred_at ? Date.parse(body.occurred_at) : undefined,
      },
      actorOf(c),
    );
    return c.json(await callView(db, tenantId, call), 200);
  },
);

voiceRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/sales/calls/{id}",
    tags,
    summary: "Delete a call, its recording and its open proposals (tasks, tickets and emails already created stay)",
    request: { params: callParam },
    responses: { 204: noContent, 402: gated },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const id = c.req.valid("param").id as string;
    await getCallRow(db, tenantId, id);
    await requireFeature(c, FEATURE);
    await deleteCall(c.env, db, tenantId, id, actorOf(c));
    return c.body(null, 204);
  },
);

voiceRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/calls/{id}/analyse",
    tags,
    summary: "Run the call again: transcribe a recording that failed, or re-analyse the transcript (undecided proposals are replaced)",
    request: { params: callParam },
    responses: { 202: jsonResponse(callSchema, "Started; poll GET /sales/calls/{id}"), 402: gated, 409: problemDoc("Still transcribing") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const id = c.req.valid("param").id as string;
    await getCallRow(db, tenantId, id);
    await requireFeature(c, FEATURE);
    const call = await resetForRetry(db, tenantId, id);
    inBackground(c, tenantId, id);
    return c.json(await callView(db, tenantId, call), 202);
  },
);

voiceRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/calls/{id}/proposals/{proposal_id}/accept",
    tags,
    summary:
      "Accept a proposal, optionally edited: a task becomes a sales task, a ticket a support ticket for the lead, the email is sent to the lead after the safety rules. Idempotent: accepting twice creates one",
    request: { params: proposalParams, body: { required: false, content: { "application/json": { schema: acceptInput } } } },
    responses: {
      200: jsonResponse(proposalSchema, "Accepted, with what was created"),
      402: gated,
      409: problemDoc("Dismissed, being accepted, the lead cannot be emailed, or the safety rules hold the email"),
      422: problemDoc("A ticket or the email needs the call linked to a lead with an email address"),
    },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const { id, proposal_id } = c.req.valid("param") as { id: string; proposal_id: string };
    await getCallRow(db, tenantId, id);
    await requireFeature(c, FEATURE);
    const raw = (c.req.header("content-type") ?? "").includes("json") ? await c.req.json().catch(() => ({})) : {};
    const parsed = acceptInput.safeParse(raw ?? {});
    if (!parsed.success) throw validationFailed(parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
    const e = parsed.data;
    const row = await acceptProposal(
      c.env,
      db,
      tenantId,
      id,
      proposal_id,
      {
        title: e.title,
        ownerId: e.owner_id,
        dueAt: e.due_at === undefined ? undefined : e.due_at === null ? null : Date.parse(e.due_at),
        body: e.body,
        subject: e.subject,
        priority: e.priority,
      },
      actorOf(c),
    );
    return c.json(serializeProposal(row), 200);
  },
);

voiceRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/calls/{id}/proposals/{proposal_id}/dismiss",
    tags,
    summary: "Dismiss a proposal: nothing is created from it",
    request: { params: proposalParams },
    responses: { 200: jsonResponse(proposalSchema, "Dismissed"), 402: gated, 409: problemDoc("Already accepted") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const { id, proposal_id } = c.req.valid("param") as { id: string; proposal_id: string };
    await getCallRow(db, tenantId, id);
    await requireFeature(c, FEATURE);
    return c.json(serializeProposal(await dismissProposal(db, tenantId, id, proposal_id, actorOf(c))), 200);
  },
);
