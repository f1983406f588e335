/**
 * Serves the widget: /widget.js (loader, any site), /widget/frame (the iframe page, only for a
 * publishable key on an allowed origin, with `frame-ancestors` set to exactly that origin) and
 * its script and stylesheet; /widget/preview is the same page in preview mode for the dashboard's
 * settings page (framed only by Weft's own origin, no network at all).
 */
import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { resolvePublishableKey } from "../../platform/publishable-keys";
import { FRAME_CSS, FRAME_JS, LOADER_JS, WIDGET_VERSION } from "./widget-assets.gen";

export const widgetRoutes = new Hono<AppEnv>();

const asset = (body: string, type: string, cache: string) =>
  new Response(body, {
    headers: {
      "Content-Type": type,
      "Cache-Control": cache,
      "X-Content-Type-Options": "nosniff",
      "Cross-Origin-Resource-Policy": "cross-origin",
    },
  });

// The loader URL is stable, so it is cached briefly; the frame's assets are versioned.
widgetRoutes.get("/widget.js", () => asset(LOADER_JS, "application/javascript; charset=utf-8", "public, max-age=300"));
widgetRoutes.get("/widget/frame.js", () => asset(FRAME_JS, "application/javascript; charset=utf-8", "public, max-age=31536000, immutable"));
widgetRoutes.get("/widget/frame.css", () => asset(FRAME_CSS, "text/css; charset=utf-8", "public, max-age=31536000, immutable"));

const refuse = (detail: string) =>
  new Response(`<!doctype html><meta charset="utf-8"><title>Chat unavailable</title><p>${detail}</p>`, {
    status: 403,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
      "Cache-Control": "no-store",
    },
  });

const framePage = (preview: boolean) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>Chat${preview ? " preview" : ""}</title><link rel="stylesheet" href="/widget/frame.css?v=${WIDGET_VERSION}"></head><body><div id="app" aria-live="off"></div><script src="/widget/frame.js?v=${WIDGET_VERSION}" defer></script></body></html>`;

/**
 * The real widget UI with settings posted by the dashboard (same origin) instead of loaded: the
 * settings page's live preview. `connect-src 'none'`: it cannot call the API or open a socket, so
 * it can never create a conversation; only Weft's own pages may frame it.
 */
widgetRoutes.get(
  "/widget/preview",
  () =>
    new Response(framePage(true), {
      headers: {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy":
          "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'none'; img-src 'self' https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
      },
    }),
);

widgetRoutes.get("/widget/frame", async (c) => {
  const key = c.req.query("key") ?? "";
  const origin = c.req.query("origin") ?? "";
  const pk = await resolvePublishableKey(getDb(c.env.DB), key, origin);
  if (!pk) return refuse("This chat widget is not enabled for this site.");
  const ancestor = new URL(origin).origin;
  return new Response(framePage(false), {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      // `origin` was just checked against the key's allow-list, so it is a plain scheme://host[:port].
      "Content-Security-Policy": `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' https: data:; base-uri 'none'; form-action 'none'; frame-ancestors ${ancestor}`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    },
  });
});
