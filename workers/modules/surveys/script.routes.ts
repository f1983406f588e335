import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { SURVEYS_JS, SURVEYS_VERSION } from "./script-assets.gen";

/** /surveys.js for tenant sites: the URL is stable, so it is cached briefly (like /widget.js). */
export const surveysScriptRoutes = new Hono<AppEnv>();
surveysScriptRoutes.get(
  "/surveys.js",
  () =>
    new Response(SURVEYS_JS, {
      headers: {
        "Content-Type": "application/javascript; charset=utf-8",
        "Cache-Control": "public, max-age=300",
        ETag: `"${SURVEYS_VERSION}"`,
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Resource-Policy": "cross-origin",
      },
    }),
);
