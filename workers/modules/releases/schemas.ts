import { z } from "@hono/zod-openapi";
import { RELEASE_STATUSES, RELEASE_TYPES } from "../../../schema/releases";
import { pageQuerySchema } from "../../platform/pagination";
import { NOTE_SLUG_PATTERN } from "./notes.service";

// Titles and versions are plain text shown in pages, feeds and email subjects: no control characters.
const hasControl = (s: string) => Array.from(s).some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
const plain = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !hasControl(s), "must not contain control characters or line breaks");

export const noteSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    version: z.string().nullable(),
    type: z.enum(RELEASE_TYPES),
    body_md: z.string(),
    body_html: z.string().openapi({ description: "The body rendered by the server's sanitising Markdown renderer" }),
    featured: z.boolean(),
    status: z.enum(RELEASE_STATUSES),
    publish_at: z.string().nullable().openapi({ description: "When a scheduled note is due" }),
    published_at: z.string().nullable(),
    created_by: z.string().nullable(),
    updated_by: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("ReleaseNote");

export const noteInput = z.object({
  title: plain(200).min(1),
  version: plain(40).nullable().optional().openapi({ description: "Free text, e.g. 2.4.0", example: "2.4.0" }),
  type: z.enum(RELEASE_TYPES),
  body_md: z.string().max(50_000).openapi({ description: "Markdown; raw HTML is shown as text" }),
  featured: z.boolean().optional(),
  slug: z
    .string()
    .regex(NOTE_SLUG_PATTERN, "lower-case letters, digits and inner hyphens, at most 80 characters")
    .optional()
    .openapi({ description: "Default: made from the version and title, unique in the workspace" }),
});

export const listQuery = pageQuerySchema.extend({
  status: z.enum(RELEASE_STATUSES).optional(),
  type: z.enum(RELEASE_TYPES).optional(),
  q: z.string().max(200).optional().openapi({ description: "Search in title and version" }),
});

export const scheduleInput = z.object({ publish_at: z.iso.datetime({ offset: true }).openapi({ description: "Future time (ISO 8601)" }) });
export const previewInput = z.object({ body_md: z.string().max(50_000) });
export const previewSchema = z.object({ html: z.string() }).openapi("ReleasePreview");

export const publishedSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    version: z.string().nullable(),
    type: z.enum(RELEASE_TYPES),
    featured: z.boolean(),
    body_html: z.string(),
    published_at: z.string(),
  })
  .openapi("PublishedReleaseNote");

export const whatsNewSchema = z
  .object({
    unread_count: z.number().int(),
    read_through: z.string().nullable().openapi({ description: "published_at of the newest note this user has seen" }),
    data: z.array(publishedSchema.extend({ unread: z.boolean() })),
  })
  .openapi("WhatsNew");

export const markReadInput = z.object({
  through: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "published_at of the newest note the user was shown (default: the newest published note)" }),
});
export const readStateSchema = z
  .object({ unread_count: z.number().int(), read_through: z.string().nullable() })
  .openapi("WhatsNewReadState");

export const publicQuery = z.object({
  key: z.string().max(200).openapi({ description: "Publishable key (pk_live_…) of the workspace" }),
  since: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "Count as unread the notes published after this time (the newest published_at your page has shown)" }),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const publicListSchema = z
  .object({
    workspace: z.object({ name: z.string(), slug: z.string() }),
    changelog_url: z.string(),
    unread_count: z.number().int().nullable().openapi({ description: "Notes published after `since` (null without it)" }),
    data: z.array(publishedSchema.extend({ url: z.string(), unread: z.boolean().nullable() })),
  })
  .openapi("PublicReleaseNotes");
