import { getDb } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import { unauthorized } from "../../platform/errors";
import { resolvePublishableKey } from "../../platform/publishable-keys";
import { enforceRateLimit } from "../../platform/ratelimit";
import { appOrigin, clientIp } from "../../platform/request";
import { createRouter, defineRoute, jsonResponse } from "../../platform/router";
import { changelogUrl, noteUrl, type ChangelogSite } from "./changelog";
import { publishedCount, publishedNotes } from "./notes.service";
import { publicListSchema, publicQuery } from "./schemas";
import { serializePublished } from "./whats-new.service";

/**
 * The public JSON of a workspace's published release notes (mounted at /public/v1), for the
 * tenant's own site to show a "What's new" to its end users: a publishable key plus an Origin on
 * its allow-list. Read state is the site's: it keeps the newest `published_at` it has shown (in
 * localStorage, say) and passes it back as `since` to get `unread` flags and `unread_count`.
 * CORS: the allowed origin only, and only when the key accepts it (no preflight is needed: a GET
 * with the key in the query string is a simple request).
 */
export const releasesPublicRoutes = createRouter();

releasesPublicRoutes.use("/releases", async (c, next) => {
  await enforceRateLimit(c, "RL_IP", clientIp(c));
  await next();
});

releasesPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/releases",
      tags: ["Release notes (public)"],
      summary: "Published release notes of the key's workspace, for its site's own What's new (publishable key + allowed Origin)",
      request: { query: publicQuery },
      responses: {
        200: jsonResponse(publicListSchema, "Newest published first"),
      },
    },
  ),
  async (c) => {
    const q = c.req.valid("query");
    const db = getDb(c.env.DB);
    const origin = c.req.header("Origin") ?? null;
    const resolved = await resolvePublishableKey(db, q.key, origin);
    if (!resolved) throw unauthorized("A valid publishable key, used from one of its allowed origins, is required.");
    const since = q.since ? Date.parse(q.since) : undefined;
    const [tenant, notes, unread] = await Promise.all([
      getTenant(db, resolved.tenantId),
      publishedNotes(db, resolved.tenantId, { limit: q.limit }),
      since === undefined ? Promise.resolve(null) : publishedCount(db, resolved.tenantId, since),
    ]);
    const site: ChangelogSite = { name: tenant.name, slug: tenant.slug, origin: appOrigin(c) };
    c.header("Access-Control-Allow-Origin", origin ?? "");
    c.header("Vary", "Origin");
    c.header("Cache-Control", "private, max-age=60");
    return c.json(
      {
        workspace: { name: tenant.name, slug: tenant.slug },
        changelog_url: changelogUrl(site),
        unread_count: unread,
        data: notes.map((n) => ({
          ...serializePublished(n),
          url: noteUrl(site, n),
          unread: since === undefined ? null : (n.publishedAt ?? 0) > since,
        })),
      },
      200,
    );
  },
);
