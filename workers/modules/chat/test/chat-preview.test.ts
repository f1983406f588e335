import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { FRAME_JS } from "../widget-assets.gen";
import { BASE } from "../../../../test/helpers";

describe("widget settings preview page", () => {
  it("is the real widget page, framed only by Weft itself and unable to reach the network", async () => {
    const r = await exports.default.fetch(`${BASE}/widget/preview`);
    expect(r.status).toBe(200);
    const csp = r.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("connect-src 'none'"); // no API call, no socket: it can never create a conversation
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("script-src 'self'");
    const html = await r.text();
    expect(html).toContain('<script src="/widget/frame.js?v=');
    // The same bundle as on tenant sites, with its preview mode (settings by postMessage from this origin).
    expect(FRAME_JS).toContain("/widget/preview");
  });
});
