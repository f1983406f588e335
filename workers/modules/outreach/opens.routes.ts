import { createRouter } from "../../platform/router";
import { createLogger } from "../../platform/logger";
import { PIXEL_GIF, recordOpen } from "./opens";

/**
 * The open-tracking pixel (mounted at /public/v1; docs/sales.md). Outside OpenAPI like the unsubscribe
 * link: a mail client fetches it, nobody calls it. Every request gets the same GIF whatever the token
 * (valid, forged, another workspace's, already opened), so the answer reveals nothing. Not rate limited
 * by IP: mail providers' image proxies fetch every open from a few shared addresses; a bad token costs
 * one HMAC and no database read.
 */
export const outreachOpensRoutes = createRouter();
const log = createLogger({ module: "outreach" });

outreachOpensRoutes.get("/outreach/o/:file", async (c) => {
  const file = c.req.param("file");
  if (file.endsWith(".gif")) {
    try {
      await recordOpen(c.env, file.slice(0, -4), Date.now());
    } catch (err) {
      log.error("outreach_open_failed", { error: String(err) });
    }
  }
  return c.body(PIXEL_GIF, 200, {
    "Content-Type": "image/gif",
    "Cache-Control": "no-store, no-cache, must-revalidate, private",
    "Content-Length": String(PIXEL_GIF.byteLength),
  });
});
