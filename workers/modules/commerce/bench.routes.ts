/**
 * Local-only helper for `npm run bench -- checkout` (mounted under the simulator pages, so at
 * /dev/commerce-simulator/bench; 404 in production): `POST /insert` does one bare D1 INSERT — the
 * baseline the checkout flow (create, pay, signed webhook) is measured against in the same run.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { getConfig } from "../../platform/env";
import { notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";

export const commerceBenchRoutes = new Hono<AppEnv>();
commerceBenchRoutes.use("*", async (c, next) => {
  if (!getConfig(c.env).isLocal) throw notFound("Page");
  await next();
});

commerceBenchRoutes.post("/insert", async (c) => {
  const id = newId("oev");
  await c.env.DB.prepare(
    "INSERT INTO commerce_order_events (tenant_id, id, order_id, type, actor, detail, created_at) VALUES ('bench', ?1, 'ord_bench', 'bench', 'system', '{}', ?2)",
  )
    .bind(id, Date.now())
    .run();
  return c.json({ id }, 201);
});
