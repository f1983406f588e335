import type { Res } from "../../../lib/api";

export type Connection = Res<"GET /api/v1/email-lists/{id}/sync/connections">["data"][number];
export type Run = Res<"GET /api/v1/email-lists/{id}/sync/runs">["data"][number];
export type Provider = Connection["provider"];

/** What the dashboard says about each provider (labels, hints, default mapping). */
export const PROVIDERS: Record<
  Provider,
  {
    id: Provider;
    name: string;
    blurb: string;
    keyHint: string;
    keyPlaceholder: string;
    remoteLabel: string;
    remoteHint: string;
    remotePlaceholder: string;
    fieldMap: { first_name: string | null; last_name: string | null };
    unsubscribeNote: string;
  }
> = {
  mailchimp: {
    id: "mailchimp",
    name: "Mailchimp",
    blurb: "Subscribers become members of a Mailchimp audience (Marketing API v3).",
    keyHint: "Account → Extras → API keys. It ends with your data centre, like -us21.",
    keyPlaceholder: "0123…cdef-us21",
    remoteLabel: "Audience id",
    remoteHint: "Audience → Settings → Audience name and defaults.",
    remotePlaceholder: "a1b2c3d4e5",
    fieldMap: { first_name: "FNAME", last_name: "LNAME" },
    unsubscribeNote: "Unsubscribes set the member's status to unsubscribed in the audience.",
  },
  sendgrid: {
    id: "sendgrid",
    name: "SendGrid",
    blurb: "Subscribers become Marketing Campaigns contacts on a SendGrid list.",
    keyHint: "Settings → API Keys; needs Marketing access. Starts with SG.",
    keyPlaceholder: "SG.…",
    remoteLabel: "List id",
    remoteHint: "Marketing → Contacts → the list; the id is in its URL.",
    remotePlaceholder: "ca8a5f0e-6f0c-4b3e-9c57-3c1f0f7f2a11",
    fieldMap: { first_name: "first_name", last_name: "last_name" },
    unsubscribeNote: "Unsubscribes remove the contact from this SendGrid list (the contact is kept).",
  },
  kit: {
    id: "kit",
    name: "Kit",
    blurb: "Subscribers are added to a Kit (ConvertKit) form or tag (API v4).",
    keyHint: "Settings → Developer → V4 API keys.",
    keyPlaceholder: "kit_…",
    remoteLabel: "Form or tag id",
    remoteHint: "The number in the form's or tag's URL in Kit.",
    remotePlaceholder: "4242",
    fieldMap: { first_name: "first_name", last_name: null },
    unsubscribeNote: "Tag connections remove the tag; form connections unsubscribe the person from the whole Kit account.",
  },
};

export const ACTIVE = new Set(["queued", "running"]);
