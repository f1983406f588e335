// Public entry of the outreach module (docs/sales.md). Nothing imports outreach but the composition
// root: it mounts the routers, runs the cron and wires the hold handler below.

/** Releases (approved) or drops (rejected) a draft the AI safety rules held: the hold handler for "sales_draft". */
export { releaseHeldDraft } from "./drafts.service";
/** Messaging's `message.failed` for a draft's email: a bounce stops the lead's sequences at once (wired in compose.ts). */
export { stopSequencesOnBounce } from "./bounces";
/** Email threads with replies (what we sent, the variant's reply rates, the lead's answers): knowledge fusion reads these. */
export { listReplyThreads, type ReplyThread, type ThreadMessage } from "./threads";
/** The salesboard's read-only figures: sequences with their steps and variants. */
export { sequenceFigureRows, sequenceNames } from "./figures";
export type { SequenceFigureRow } from "./figures";
/** Wizards (modules/wizards, the marketing campaign): UTM codes on email links, a draft sequence upserted by name, enrolment by its filter. */
export { appendUtm, enrolByFilter, previewForLead, stepsWithUtm, upsertDraftSequence } from "./campaign-setup";
export type { Utm } from "./campaign-setup";
