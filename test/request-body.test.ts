// drainUnreadBody (workers/platform/request-body.ts): under `vite dev` an unread request body made
// workerd drop the keep-alive connection the plugin's proxy was about to reuse. Locally the
// middleware reads such a body to the end; elsewhere it must never read a body the Worker rejected.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../workers/platform/context";
import { drainUnreadBody } from "../workers/platform/request-body";

/** A 3-chunk request body that records whether it was read to the end. */
function trackedBody() {
  let sent = 0;
  let ended = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < 3) controller.enqueue(new Uint8Array(32 * 1024));
      else {
        ended = true;
        controller.close();
      }
    },
  });
  return { stream, ended: () => ended };
}

async function post(environment: string, read: boolean) {
  const app = new Hono<AppEnv>();
  app.use("*", drainUnreadBody);
  app.post("/x", async (c) => {
    if (read) await c.req.text();
    return c.json({ title: "Not authenticated" }, 401);
  });
  const body = trackedBody();
  const res = await app.request("/x", { method: "POST", body: body.stream }, { ENVIRONMENT: environment } as never);
  return { status: res.status, ended: body.ended() };
}

describe("drainUnreadBody", () => {
  it("development: reads to the end a body the handler answered without reading", async () => {
    expect(await post("development", false)).toEqual({ status: 401, ended: true });
  });

  it("production and test: leaves an unread body unread", async () => {
    expect(await post("production", false)).toEqual({ status: 401, ended: false });
    expect(await post("test", false)).toEqual({ status: 401, ended: false });
  });

  it("a body the handler read is left alone", async () => {
    expect(await post("development", true)).toEqual({ status: 401, ended: true });
  });
});
