import type { z } from "@hono/zod-openapi";
import type { Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { validationFailed } from "../../platform/errors";
import { type CallLinks, type CallRow, createRecordingCall, createTranscriptCall, isAudio } from "./calls.service";
import type { multipartInput, transcriptInput } from "./schemas";

/** The upload's two bodies (JSON with the transcript text; multipart with a file or a `transcript` field) → a call. */

export type MultipartForm = z.infer<typeof multipartInput>;

function linksOf(body: { title?: string; lead_id?: string | null; deal_id?: string | null; occurred_at?: string }): CallLinks {
  if (body.occurred_at && Number.isNaN(Date.parse(body.occurred_at)))
    throw validationFailed([{ path: "occurred_at", message: "an ISO date-time, e.g. 2026-12-07T15:00:00Z" }]);
  return {
    title: body.title,
    leadId: body.lead_id || null,
    dealId: body.deal_id || null,
    occurredAt: body.occurred_at ? Date.parse(body.occurred_at) : undefined,
  };
}

/** Multipart: an audio `file` is a recording; any other file, or the `transcript` field, is a transcript. */
export async function callFromForm(env: Env, db: Db, tenantId: string, form: MultipartForm, actor: Actor): Promise<CallRow> {
  const links = linksOf({ ...form, occurred_at: form.occurred_at || undefined });
  const file = form.file;
  if (file instanceof File && isAudio(file.name, file.type))
    return createRecordingCall(
      env,
      db,
      tenantId,
      { ...links, bytes: new Uint8Array(await file.arrayBuffer()), name: file.name || "recording", contentType: file.type },
      actor,
    );
  const text = file instanceof File ? await file.text() : form.transcript;
  if (!text?.trim())
    throw validationFailed([{ path: "file", message: "attach a recording or a transcript file, or send `transcript` text" }]);
  return createTranscriptCall(
    db,
    tenantId,
    { ...links, text, fileName: file instanceof File ? file.name : null, format: form.format ?? null },
    actor,
  );
}

export async function callFromJson(db: Db, tenantId: string, body: z.infer<typeof transcriptInput>, actor: Actor): Promise<CallRow> {
  if (!body.transcript?.trim())
    throw validationFailed([{ path: "transcript", message: "send the transcript text (or upload a file as multipart)" }]);
  return createTranscriptCall(db, tenantId, { ...linksOf(body), text: body.transcript, format: body.format ?? null }, actor);
}
