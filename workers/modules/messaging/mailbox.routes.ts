import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { devMailbox } from "../../../schema/messaging";
import { getDb } from "../../platform/db";
import { getConfig } from "../../platform/env";
import { notFound } from "../../platform/errors";
import { keyset, pageQuerySchema, pageSchema, toPage } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { createRouter, defineRoute, jsonResponse } from "../../platform/router";

const mailSchema = z
  .object({ id: z.string(), to: z.string(), subject: z.string(), text: z.string(), html: z.string(), created_at: z.string() })
  .openapi("DevMail");

type MailRow = typeof devMailbox.$inferSelect;
const serialize = (m: MailRow) => ({
  id: m.id,
  to: m.toAddress,
  subject: m.subject,
  text: m.text,
  html: m.html,
  created_at: iso(m.createdAt)!,
});

/** The local dev mailbox: only exists when ENVIRONMENT is not production. */
export const mailboxRoutes = createRouter();
mailboxRoutes.use("*", async (c, next) => {
  if (!getConfig(c.env).isLocal) throw notFound("Page");
  await next();
});

mailboxRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/dev/mailbox",
      tags: ["Local development"],
      summary: "Emails the outbox delivered to the local dev mailbox (local only)",
      request: { query: pageQuerySchema.extend({ to: z.string().optional() }) },
      responses: { 200: jsonResponse(pageSchema(mailSchema), "Newest first") },
    },
  ),
  async (c) => {
    const { limit, cursor, to } = c.req.valid("query");
    const page = keyset(devMailbox.createdAt, devMailbox.id, cursor);
    const rows = await getDb(c.env.DB)
      .select()
      .from(devMailbox)
      .where(and(to ? eq(devMailbox.toAddress, to.toLowerCase()) : undefined, page.where))
      .orderBy(...page.orderBy)
      .limit(limit + 1);
    return c.json(
      toPage(rows, limit, (r) => r, serialize),
      200,
    );
  },
);
