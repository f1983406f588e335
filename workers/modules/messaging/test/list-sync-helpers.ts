import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { listSubscribers } from "../../../../schema/messaging";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";

export const db = () => getDb(env.DB);
export const as = (u: TestUser, path: string, body?: unknown, method?: string) =>
  callJson(path, { token: u.accessToken, tenant: u.tenantId, body, method, ip: u.ip });

/** A workspace with a single-opt-in list. */
export async function workspaceWithList() {
  const u = await signUp();
  const list = await as(u, "/api/v1/email-lists", { name: "Newsletter", double_opt_in: false });
  expect(list.status).toBe(201);
  return { u, listId: list.body.id as string };
}

/** Inserts subscribers straight into D1 (fast for big lists), oldest first. */
export async function seedSubscribers(
  tenantId: string,
  listId: string,
  n: number,
  opts: { prefix?: string; status?: "subscribed" | "pending" | "unsubscribed"; name?: (i: number) => string | null } = {},
): Promise<string[]> {
  const base = Date.now() - 1_000_000;
  const rows = Array.from({ length: n }, (_, i) => {
    const email = `${opts.prefix ?? "sub"}-${i}-${listId.slice(-6).toLowerCase()}@example.test`;
    return {
      tenantId,
      id: newId("sub"),
      listId,
      email,
      name: opts.name ? opts.name(i) : `Person${i} Example`,
      status: opts.status ?? "subscribed",
      confirmTokenHash: null,
      source: "import",
      consentIp: null,
      confirmedAt: base,
      unsubscribedAt: null,
      createdAt: base + i,
      updatedAt: base + i,
    } as const;
  });
  const stmts = [];
  for (let i = 0; i < rows.length; i += 7)
    stmts.push(
      db()
        .insert(listSubscribers)
        .values(rows.slice(i, i + 7)),
    );
  for (let i = 0; i < stmts.length; i += 50) {
    const part = stmts.slice(i, i + 50);
    await db().batch(part as [(typeof part)[number], ...(typeof part)[number][]]);
  }
  return rows.map((r) => r.email);
}

export async function connect(u: TestUser, listId: string, body: Record<string, unknown>) {
  const r = await as(u, `/api/v1/email-lists/${listId}/sync/connections`, { schedule: "off", ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; credentials_hint: string };
}

const FINAL = ["succeeded", "partial", "failed"];
export async function waitRun(u: TestUser, listId: string, runId: string) {
  for (let i = 0; i < 600; i++) {
    const r = await as(u, `/api/v1/email-lists/${listId}/sync/runs/${runId}`);
    if (FINAL.includes(r.body.status)) return r.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`run ${runId} did not finish`);
}

export async function syncNow(u: TestUser, listId: string, connectionId: string) {
  const r = await as(u, `/api/v1/email-lists/${listId}/sync/connections/${connectionId}/sync`, {});
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  expect(r.body.status).toBe("queued");
  return waitRun(u, listId, r.body.id);
}

/** Waits for the n-th incremental (change) run of a connection. */
export async function waitChangeRuns(u: TestUser, listId: string, connectionId: string, n: number) {
  for (let i = 0; i < 600; i++) {
    const r = await as(u, `/api/v1/email-lists/${listId}/sync/runs?connection_id=${connectionId}&limit=100`);
    const runs = (r.body.data as { trigger: string; status: string }[]).filter((x) => x.trigger === "change" && FINAL.includes(x.status));
    if (runs.length >= n) return runs;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error("no change run");
}

/** The value, or a thrown error naming what was missing (instead of a non-null assertion). */
export function must<T>(v: T | null | undefined, what = "value"): T {
  if (v === null || v === undefined) throw new Error(`missing ${what}`);
  return v;
}
