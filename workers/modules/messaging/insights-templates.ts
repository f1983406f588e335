import type { EmailTemplate } from "./templates";

const layout = (body: string) =>
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:600px;margin:24px auto;color:#111">${body}<p style="color:#666;font-size:12px;margin-top:32px">Sent by Weft</p></body></html>`;

/**
 * Proactive insights (modules/insights) emails. The digest's tables are built and escaped by
 * insights/digest-render.ts and inserted raw (`{{{…}}}`); every other value is escaped here.
 */
export const INSIGHTS_TEMPLATES: Record<string, EmailTemplate> = {
  "insights.digest": {
    subject: "{{subject}}",
    text: "{{intro}}\n\n{{figures_text}}\n\n{{alerts_text}}\n\n{{suggestions_text}}\n\nOpen insights: {{link}}\n\nStop these emails: {{unsubscribe}}",
    html: layout(
      '<h1 style="font-size:20px;margin:0 0 8px">{{heading}}</h1><p style="color:#444">{{intro}}</p>{{{figures_html}}}{{{alerts_html}}}{{{suggestions_html}}}<p><a href="{{link}}">Open insights</a></p><p style="color:#666;font-size:12px">You get this digest as a member of {{workspace}}. <a href="{{unsubscribe}}">Stop these emails</a>.</p>',
    ),
  },
};
