import { actorOf } from "../../platform/audit";
import { currentTenantId, currentUserId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { validationFailed } from "../../platform/errors";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { board, createDeal, deleteDeal, getDealRow, listDeals, moveDeal, serializeDeal, updateDeal } from "./deals.service";
import { createStage, deleteStage, serializeStage, updateStage } from "./stages.service";
import { getLeadRow } from "./leads.service";
import { assertOwner } from "./owners";
import {
  boardColumnSchema,
  dealInput,
  dealListQuery,
  dealMoveInput,
  dealSchema,
  stageInput,
  stageSchema,
  stagesQuery,
  taskInput,
  taskListQuery,
  taskPatch,
  taskSchema,
} from "./pipeline.schemas";
import { createTask, deleteTask, getTaskRow, listTasks, serializeTask, updateTask } from "./tasks.service";

/** Pipeline (stages, deals, the board) and tasks (mounted by routes.ts at /api/v1). */
export const pipelineRoutes = createRouter();

const tags = ["Sales"];
const READ = { auth: "tenant", permission: "sales:read" } as const;
const WRITE = { auth: "tenant", permission: "sales:write" } as const;
const MANAGE = { auth: "tenant", permission: "sales:manage" } as const;
const stageParam = idParam("id", "stg_01jd0000000000000000000000");
const dealParam = idParam("id", "deal_01jd0000000000000000000000");
const taskParam = idParam("id", "task_01jd0000000000000000000000");
const id = (c: { req: { valid(t: "param"): { id?: string } } }) => c.req.valid("param").id as string;

pipelineRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/stages",
    tags,
    summary:
      "Pipeline stages in order (the default set is created on first use), each with its deal count and total; `deals=true` adds the deals (the board)",
    request: { query: stagesQuery },
    responses: { 200: jsonResponse(pageSchema(boardColumnSchema), "The stages") },
  }),
  async (c) => {
    const cols = await board(getDb(c.env.DB), currentTenantId(c));
    const withDeals = c.req.valid("query").deals;
    return c.json({ data: withDeals ? cols : cols.map((s) => ({ ...s, deals: [] })), next_cursor: null }, 200);
  },
);
pipelineRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/sales/stages",
    tags,
    summary: "Add a stage",
    request: jsonBody(stageInput),
    responses: { 201: jsonResponse(stageSchema, "Created") },
  }),
  async (c) => c.json(serializeStage(await createStage(getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c))), 201),
);
pipelineRoutes.openapi(
  defineRoute(MANAGE, {
    method: "patch",
    path: "/sales/stages/{id}",
    tags,
    summary: "Rename, reorder or change a stage's probability or outcome",
    request: { params: stageParam, ...jsonBody(stageInput.partial()) },
    responses: { 200: jsonResponse(stageSchema, "Updated") },
  }),
  async (c) => c.json(serializeStage(await updateStage(getDb(c.env.DB), currentTenantId(c), id(c), c.req.valid("json"), actorOf(c))), 200),
);
pipelineRoutes.openapi(
  defineRoute(MANAGE, {
    method: "delete",
    path: "/sales/stages/{id}",
    tags,
    summary: "Delete an empty stage",
    request: { params: stageParam },
    responses: { 204: noContent, 409: problemDoc("The stage still holds deals") },
  }),
  async (c) => {
    await deleteStage(getDb(c.env.DB), currentTenantId(c), id(c), actorOf(c));
    return c.body(null, 204);
  },
);

pipelineRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/deals",
    tags,
    summary: "Deals (list view), newest first; filter by stage, owner, lead, company, outcome",
    request: { query: dealListQuery },
    responses: { 200: jsonResponse(pageSchema(dealSchema), "A page of deals") },
  }),
  async (c) => c.json(await listDeals(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);
pipelineRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/deals",
    tags,
    summary: "Create a deal (at the end of its stage's column)",
    request: jsonBody(dealInput),
    responses: { 201: jsonResponse(dealSchema, "Created") },
  }),
  async (c) => c.json(serializeDeal(await createDeal(getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c))), 201),
);
pipelineRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/deals/{id}",
    tags,
    summary: "A deal",
    request: { params: dealParam },
    responses: { 200: jsonResponse(dealSchema, "The deal") },
  }),
  async (c) => c.json(serializeDeal(await getDealRow(getDb(c.env.DB), currentTenantId(c), id(c))), 200),
);
pipelineRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/sales/deals/{id}",
    tags,
    summary: "Edit a deal (a new stage_id moves it to the end of that column)",
    request: { params: dealParam, ...jsonBody(dealInput.partial()) },
    responses: { 200: jsonResponse(dealSchema, "Updated") },
  }),
  async (c) => c.json(serializeDeal(await updateDeal(getDb(c.env.DB), currentTenantId(c), id(c), c.req.valid("json"), actorOf(c))), 200),
);
pipelineRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/deals/{id}/move",
    tags,
    summary: "Move a deal on the board: into a stage at a position (the column is renumbered); a won/lost stage closes it",
    request: { params: dealParam, ...jsonBody(dealMoveInput) },
    responses: { 200: jsonResponse(dealSchema, "Moved") },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const deal = await moveDeal(getDb(c.env.DB), currentTenantId(c), id(c), body, actorOf(c), { lost_reason: body.lost_reason });
    return c.json(serializeDeal(deal), 200);
  },
);
pipelineRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/sales/deals/{id}",
    tags,
    summary: "Delete a deal",
    request: { params: dealParam },
    responses: { 204: noContent },
  }),
  async (c) => {
    await deleteDeal(getDb(c.env.DB), currentTenantId(c), id(c), actorOf(c));
    return c.body(null, 204);
  },
);

pipelineRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/tasks",
    tags,
    summary: "Tasks, newest first: open (default), done or all; `mine=true` for the caller's; `overdue=true` for open tasks past due",
    request: { query: taskListQuery },
    responses: { 200: jsonResponse(pageSchema(taskSchema), "A page of tasks") },
  }),
  async (c) => c.json(await listTasks(getDb(c.env.DB), currentTenantId(c), currentUserId(c), c.req.valid("query")), 200),
);
pipelineRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/tasks",
    tags,
    summary: "Create a task (owner: a member, default the caller)",
    request: jsonBody(taskInput),
    responses: { 201: jsonResponse(taskSchema, "Created") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const body = c.req.valid("json");
    const errors: { path: string; message: string }[] = [];
    if (body.lead_id)
      await getLeadRow(db, tenantId, body.lead_id).catch(() =>
        errors.push({ path: "lead_id", message: "is not a lead of this workspace" }),
      );
    if (body.deal_id)
      await getDealRow(db, tenantId, body.deal_id).catch(() =>
        errors.push({ path: "deal_id", message: "is not a deal of this workspace" }),
      );
    if (errors.length) throw validationFailed(errors);
    const userId = currentUserId(c);
    const ownerId = body.owner_id !== undefined ? body.owner_id : userId;
    if (ownerId) await assertOwner(db, tenantId, ownerId);
    const task = await createTask(db, tenantId, {
      title: body.title,
      notes: body.notes,
      kind: body.kind,
      leadId: body.lead_id,
      dealId: body.deal_id,
      ownerId,
      dueAt: body.due_at ? Date.parse(body.due_at) : null,
      origin: "manual",
      createdBy: userId,
    });
    return c.json(serializeTask(task), 201);
  },
);
pipelineRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/sales/tasks/{id}",
    tags,
    summary: "Edit a task; `done: true` completes it (records task_done), `done: false` reopens it",
    request: { params: taskParam, ...jsonBody(taskPatch) },
    responses: { 200: jsonResponse(taskSchema, "Updated") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const body = c.req.valid("json");
    await getTaskRow(db, tenantId, id(c));
    if (body.owner_id) await assertOwner(db, tenantId, body.owner_id);
    return c.json(serializeTask(await updateTask(db, tenantId, id(c), body, actorOf(c))), 200);
  },
);
pipelineRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/sales/tasks/{id}",
    tags,
    summary: "Delete a task",
    request: { params: taskParam },
    responses: { 204: noContent },
  }),
  async (c) => {
    await deleteTask(getDb(c.env.DB), currentTenantId(c), id(c), actorOf(c));
    return c.body(null, 204);
  },
);
