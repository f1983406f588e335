import { and, desc, eq } from "drizzle-orm";
import { messageTemplates } from "../../../schema/messaging";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { badRequest, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { iso } from "../../platform/request";
import { TEMPLATE_CHANNELS, type TemplateChannel } from "./message";
import { htmlToText, renderString, templateSyntaxError, variablesOf } from "./render";
import { MESSAGING_TEMPLATES } from "./system-templates";
import { systemEmailTemplate, systemTemplateNames, type EmailTemplate } from "./templates";

export interface ChannelTemplate {
  key: string;
  channel: TemplateChannel;
  subject: string;
  body: string;
  html: string | null;
  version: number | null; // null = the system default
  source: "system" | "workspace";
}
export interface Rendered {
  subject: string;
  text: string;
  html: string | null;
}

export const TEMPLATE_KEY_RE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

function systemEmail(key: string): EmailTemplate | null {
  return systemEmailTemplate(key) ?? MESSAGING_TEMPLATES[key] ?? null;
}
export const isSystemTemplate = (key: string) => systemEmail(key) !== null;
export const allSystemTemplateNames = () => [...new Set([...systemTemplateNames(), ...Object.keys(MESSAGING_TEMPLATES)])].sort();

/** The default of a system template for a channel: SMS/push/in-app reuse the email's subject and text. */
function systemFor(key: string, channel: TemplateChannel): ChannelTemplate | null {
  const t = systemEmail(key);
  if (!t) return null;
  if (channel === "email") return { key, channel, subject: t.subject, body: t.text, html: t.html, version: null, source: "system" };
  if (channel === "sms") return { key, channel, subject: "", body: t.text, html: null, version: null, source: "system" };
  const firstParagraph = t.text.split(/\n\s*\n/)[0] ?? t.text;
  return { key, channel, subject: t.subject, body: firstParagraph, html: null, version: null, source: "system" };
}

type Row = typeof messageTemplates.$inferSelect;
const fromRow = (r: Row): ChannelTemplate => ({
  key: r.key,
  channel: r.channel,
  subject: r.subject,
  body: r.body,
  html: r.html,
  version: r.version,
  source: "workspace",
});

/** The live template for (key, channel): the workspace's latest version, else the system default. */
export async function resolveTemplate(
  db: Db,
  tenantId: string | null,
  key: string,
  channel: TemplateChannel,
): Promise<ChannelTemplate | null> {
  return templateFrom(tenantId ? await templateQuery(db, tenantId, key, channel) : [], key, channel);
}

/** The workspace's latest version of (key, channel) as a query (0 or 1 rows), so it can join a batch. */
export function templateQuery(db: Db, tenantId: string, key: string, channel: TemplateChannel) {
  return db
    .select()
    .from(messageTemplates)
    .where(tenantScope(db, tenantId).where(messageTemplates, eq(messageTemplates.key, key), eq(messageTemplates.channel, channel)))
    .orderBy(desc(messageTemplates.version))
    .limit(1);
}
export const templateFrom = (rows: Row[], key: string, channel: TemplateChannel): ChannelTemplate | null =>
  rows[0] ? fromRow(rows[0]) : systemFor(key, channel);

/** Whether `key` names a template the workspace can send (system, or its own on any channel). */
export async function templateExists(db: Db, tenantId: string | null, key: string): Promise<boolean> {
  if (isSystemTemplate(key)) return true;
  if (!tenantId) return false;
  const row = await db
    .select({ id: messageTemplates.id })
    .from(messageTemplates)
    .where(tenantScope(db, tenantId).where(messageTemplates, eq(messageTemplates.key, key)))
    .limit(1)
    .get();
  return !!row;
}

/** Renders a template; emails always get a text part (derived from the HTML when the template has none). */
export function renderTemplate(t: Pick<ChannelTemplate, "subject" | "body" | "html" | "channel">, data: Record<string, unknown>): Rendered {
  const html = t.channel === "email" && t.html ? renderString(t.html, data, "html") : null;
  const text = t.body.trim() ? renderString(t.body, data, "text") : html ? htmlToText(html) : "";
  return { subject: renderString(t.subject, data, "text"), text, html };
}

const serialize = (t: ChannelTemplate) => ({
  key: t.key,
  channel: t.channel,
  subject: t.subject,
  body: t.body,
  html: t.html,
  version: t.version,
  source: t.source,
  variables: variablesOf(t.subject, t.body, t.html),
});
export type SerializedTemplate = ReturnType<typeof serialize>;

/** Every template the workspace can use: system defaults (possibly overridden) and its own. */
export async function listTemplates(db: Db, tenantId: string) {
  const rows = await db
    .select({
      key: messageTemplates.key,
      channel: messageTemplates.channel,
      version: messageTemplates.version,
      createdAt: messageTemplates.createdAt,
    })
    .from(messageTemplates)
    .where(tenantScope(db, tenantId).where(messageTemplates))
    .orderBy(messageTemplates.key);
  const byKey = new Map<string, { key: string; system: boolean; overridden: TemplateChannel[]; updated_at: string | null }>();
  for (const key of allSystemTemplateNames()) byKey.set(key, { key, system: true, overridden: [], updated_at: null });
  for (const r of rows) {
    const entry = byKey.get(r.key) ?? { key: r.key, system: false, overridden: [], updated_at: null };
    if (!entry.overridden.includes(r.channel)) entry.overridden.push(r.channel);
    const at = iso(r.createdAt)!;
    if (!entry.updated_at || at > entry.updated_at) entry.updated_at = at;
    byKey.set(r.key, entry);
  }
  return { data: [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key)) };
}

/** One template key: the live template per channel and the saved versions. */
export async function getTemplate(db: Db, tenantId: string, key: string) {
  const rows = await db
    .select()
    .from(messageTemplates)
    .where(tenantScope(db, tenantId).where(messageTemplates, eq(messageTemplates.key, key)))
    .orderBy(desc(messageTemplates.version));
  if (!rows.length && !isSystemTemplate(key)) throw notFound("Template");
  const channels = [];
  for (const channel of TEMPLATE_CHANNELS) {
    const live = rows.find((r) => r.channel === channel);
    const t = live ? fromRow(live) : systemFor(key, channel);
    if (t) channels.push(serialize(t));
  }
  return {
    key,
    system: isSystemTemplate(key),
    channels,
    versions: rows.map((r) => ({
      channel: r.channel,
      version: r.version,
      subject: r.subject,
      body: r.body,
      html: r.html,
      description: r.description,
      created_by: r.createdBy,
      created_at: iso(r.createdAt)!,
    })),
  };
}

export interface TemplateInput {
  subject: string;
  body: string;
  html?: string | null;
  description?: string | null;
}

export function validateTemplateInput(channel: TemplateChannel, input: TemplateInput) {
  const errors: { path: string; message: string }[] = [];
  for (const field of ["subject", "body", "html"] as const) {
    const v = input[field];
    if (typeof v === "string") {
      const err = templateSyntaxError(v);
      if (err) errors.push({ path: field, message: err });
    }
  }
  if (channel === "email" && !input.subject.trim()) errors.push({ path: "subject", message: "Emails need a subject" });
  if ((channel === "push" || channel === "in_app") && !input.subject.trim())
    errors.push({ path: "subject", message: "Push and in-app messages need a title (subject)" });
  if (channel !== "email" && input.html) errors.push({ path: "html", message: "Only email templates have an HTML part" });
  if (!input.body.trim() && !(channel === "email" && input.html?.trim())) errors.push({ path: "body", message: "Write a body" });
  if (errors.length) throw badRequest(errors.map((e) => `${e.path}: ${e.message}`).join("; "), { errors });
}

/** Saves a new version (versions are never edited in place, so the history stays true). */
export async function saveTemplateVersion(
  db: Db,
  tenantId: string,
  key: string,
  channel: TemplateChannel,
  input: TemplateInput,
  actor: Actor,
) {
  if (!TEMPLATE_KEY_RE.test(key) || key.length > 80)
    throw badRequest("Template keys are lower-case words joined by dots, e.g. `newsletter.weekly`.");
  validateTemplateInput(channel, input);
  const last = await db
    .select({ version: messageTemplates.version })
    .from(messageTemplates)
    .where(tenantScope(db, tenantId).where(messageTemplates, eq(messageTemplates.key, key), eq(messageTemplates.channel, channel)))
    .orderBy(desc(messageTemplates.version))
    .limit(1)
    .get();
  const version = (last?.version ?? 0) + 1;
  const row = {
    tenantId,
    id: newId("tpl"),
    key,
    channel,
    version,
    subject: input.subject,
    body: input.body,
    html: channel === "email" ? (input.html ?? null) : null,
    description: input.description ?? null,
    createdBy: actor.id,
    createdAt: Date.now(),
  };
  // The unique (tenant, key, channel, version) index turns a concurrent save into a 4xx-able conflict.
  await db.batch([
    db.insert(messageTemplates).values(row),
    auditInsert(db, actor, {
      tenantId,
      action: "message_template.saved",
      target: { type: "message_template", id: `${key}/${channel}` },
      metadata: { version },
    }),
  ]);
  return serialize(fromRow(row));
}

/** Drops the workspace's versions of (key, channel): the system default (if any) applies again. */
export async function deleteTemplate(db: Db, tenantId: string, key: string, channel: TemplateChannel, actor: Actor) {
  const scope = tenantScope(db, tenantId);
  const existing = await db
    .select({ id: messageTemplates.id })
    .from(messageTemplates)
    .where(scope.where(messageTemplates, eq(messageTemplates.key, key), eq(messageTemplates.channel, channel)))
    .limit(1)
    .get();
  if (!existing) throw notFound("Template");
  await db.batch([
    db
      .delete(messageTemplates)
      .where(and(eq(messageTemplates.tenantId, tenantId), eq(messageTemplates.key, key), eq(messageTemplates.channel, channel))),
    auditInsert(db, actor, { tenantId, action: "message_template.deleted", target: { type: "message_template", id: `${key}/${channel}` } }),
  ]);
}
