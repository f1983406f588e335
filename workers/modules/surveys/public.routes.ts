import { z } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { notFound, Problem, validationFailed, zodIssues } from "../../platform/errors";
import { appOrigin, userAgent } from "../../platform/request";
import { getDb } from "../../platform/db";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { publishFeedbackReceived } from "./feedback-events";
import { createFeedback, getFeedback } from "./feedback.service";
import { checkEligibility, parseSignedUpAt, recordDismissal, submitResponse } from "./nps.service";
import { limitSurveysByIp, publicSurveys, resolveSite } from "./public.context";
import { distinctIdSchema, eligibilitySchema, feedbackFormSchema, npsSubmitSchema } from "./schemas";
import { MAX_SCREENSHOT_BYTES, readScreenshot, verifyScreenshotSignature } from "./screenshot";
import { DEFAULT_NPS_QUESTION } from "./settings.service";

const TAG = ["Surveys (public)"];
const keyQuery = z.object({ key: z.string().max(200).openapi({ description: "The workspace's publishable key" }) });

export const surveysPublicRoutes = createRouter();

surveysPublicRoutes.use("/public/v1/surveys/*", limitSurveysByIp);
// Only an allowed origin of the key gets CORS headers; the handlers refuse the others with a 403 too.
surveysPublicRoutes.use(
  "/public/v1/surveys/*",
  cors({
    origin: async (origin, c) => ((await resolveSite(c as never)) ? origin : null),
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["Content-Type"],
    maxAge: 600,
  }),
);

surveysPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/public/v1/surveys/nps/eligibility",
      tags: TAG,
      summary: "Whether to show the NPS prompt to this user now (decided by the workspace's current rules)",
      description:
        "Sampling is deterministic per user and period (a hash of workspace, user and period), so reloading a page never re-rolls it. Answering or dismissing counts as asked.",
      request: {
        query: keyQuery.extend({
          distinct_id: distinctIdSchema,
          signed_up_at: z.string().max(40).optional().openapi({ description: "ISO date(-time) or epoch (s or ms)" }),
        }),
      },
      responses: { 200: jsonResponse(eligibilitySchema, "The decision and why"), 403: problemDoc("Origin or key refused") },
    },
  ),
  async (c) => {
    const p = await publicSurveys(c);
    const q = c.req.valid("query");
    const d = await checkEligibility(p.db, p.tenantId, q.distinct_id, parseSignedUpAt(q.signed_up_at));
    c.header("Cache-Control", "no-store");
    return c.json(
      { show: d.show, reason: d.reason, question: d.question ?? DEFAULT_NPS_QUESTION, feedback_enabled: d.feedbackEnabled },
      200,
    );
  },
);

surveysPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/public/v1/surveys/nps/responses",
      tags: TAG,
      summary: "Submit an NPS answer (idempotent by the client-generated `id`)",
      request: { query: keyQuery, ...jsonBody(npsSubmitSchema) },
      responses: {
        201: jsonResponse(z.object({ id: z.string(), duplicate: z.literal(false) }), "Recorded"),
        200: jsonResponse(z.object({ id: z.string(), duplicate: z.literal(true) }), "Already recorded (a retried POST)"),
        403: problemDoc("Origin or key refused"),
      },
    },
  ),
  async (c) => {
    const p = await publicSurveys(c);
    const b = c.req.valid("json");
    const base = appOrigin(c);
    const { response, duplicate } = await submitResponse(
      p.db,
      c.env,
      p.tenantId,
      { clientId: b.id, distinctId: b.distinct_id, score: b.score, comment: b.comment, pageUrl: b.page_url, traits: b.traits },
      () => `${base}/surveys/nps?follow_up=open`,
    );
    await publishFeedbackReceived(p.db, c.env, p.tenantId, { kind: "nps", response });
    return duplicate
      ? c.json({ id: response.id, duplicate: true as const }, 200)
      : c.json({ id: response.id, duplicate: false as const }, 201);
  },
);

surveysPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/public/v1/surveys/nps/dismissals",
      tags: TAG,
      summary: "The user closed the prompt without answering: counts as asked for this period",
      request: { query: keyQuery, ...jsonBody(z.object({ distinct_id: distinctIdSchema }).openapi("NpsDismissal")) },
      responses: { 204: { description: "Recorded" }, 403: problemDoc("Origin or key refused") },
    },
  ),
  async (c) => {
    const p = await publicSurveys(c);
    await recordDismissal(p.db, p.tenantId, c.req.valid("json").distinct_id);
    return c.body(null, 204);
  },
);

// Before the body is parsed: a declared length over the limit is refused without reading it.
surveysPublicRoutes.use("/public/v1/surveys/feedback", async (c, next) => {
  if (Number(c.req.header("Content-Length") ?? 0) > MAX_SCREENSHOT_BYTES + 64 * 1024)
    throw new Problem(413, "payload-too-large", "Too large", "Feedback with its screenshot must stay under 2 MB.");
  await next();
});

/**
 * Feedback is multipart/form-data, not JSON with a base64 screenshot: the page posts `new
 * FormData(form)` with the file input as picked (no base64 code in the script, a third less on the
 * wire for a 2 MB image), and a multipart POST is a CORS "simple" request (no preflight).
 */
surveysPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/public/v1/surveys/feedback",
      tags: TAG,
      summary: "Send feedback from the Feedback button (text, page, category, optional email and PNG/JPEG screenshot ≤ 2 MB)",
      request: {
        query: keyQuery,
        body: {
          required: true,
          content: {
            "multipart/form-data": {
              // Loose here (empty form fields are "not given"); feedbackFormSchema checks them in the handler.
              schema: z.object({
                message: z.string().openapi({ description: "The feedback (1–5,000 characters)" }),
                category: z.string().optional().openapi({ description: "bug | idea | question | other (default)" }),
                page_url: z.string().optional(),
                email: z.string().optional(),
                distinct_id: z.string().optional(),
                id: z.string().optional().openapi({ description: "Client-generated id: a retried POST is stored once" }),
                screenshot: z.any().optional().openapi({ type: "string", format: "binary", description: "PNG or JPEG, ≤ 2 MB" }),
              }),
            },
          },
        },
      },
      responses: {
        201: jsonResponse(z.object({ id: z.string(), duplicate: z.boolean() }), "Received"),
        403: problemDoc("Origin or key refused"),
        413: problemDoc("The request is too large"),
      },
    },
  ),
  async (c) => {
    const p = await publicSurveys(c);
    const form = c.req.valid("form") as Record<string, unknown>;
    const fields = Object.fromEntries(Object.entries(form).filter(([k, v]) => k !== "screenshot" && typeof v === "string" && v !== ""));
    const parsed = feedbackFormSchema.safeParse(fields);
    if (!parsed.success) throw validationFailed(zodIssues(parsed.error));
    const shot = form.screenshot instanceof File && form.screenshot.size > 0 ? form.screenshot : null;
    const b = parsed.data;
    const { item, duplicate } = await createFeedback(p.db, c.env.FILES, p.tenantId, {
      clientId: b.id ?? null,
      category: b.category,
      message: b.message,
      pageUrl: b.page_url ?? null,
      email: b.email ?? null,
      distinctId: b.distinct_id ?? null,
      userAgent: userAgent(c),
      screenshot: shot,
    });
    await publishFeedbackReceived(p.db, c.env, p.tenantId, { kind: "feedback", item });
    return c.json({ id: item.id, duplicate }, 201);
  },
);

/** The signed screenshot URL the dashboard's feedback detail hands out (valid 5 minutes, no session needed for an <img>). */
surveysPublicRoutes.get("/public/v1/surveys/screenshots/:tenant/:id", async (c) => {
  const { tenant, id } = c.req.param();
  if (!(await verifyScreenshotSignature(c.env, tenant, id, c.req.query("exp") ?? "", c.req.query("sig") ?? "")))
    throw new Problem(403, "signature-invalid", "Link expired", "This screenshot link is expired or not valid; reopen the feedback item.");
  const item = await getFeedback(getDb(c.env.DB), tenant, id);
  const obj = item.screenshotKey ? await readScreenshot(c.env.FILES, item.screenshotKey) : null;
  if (!obj) throw notFound("Screenshot");
  return new Response(obj.body, {
    headers: {
      "Content-Type": item.screenshotType ?? "application/octet-stream",
      "Cache-Control": "private, max-age=300",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
});
