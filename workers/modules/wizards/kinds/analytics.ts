/**
 * Analytics set-up wizard: allowed origins and the publishable key → the tracker snippet, verified by
 * its first event (the step's status turns `ready` once a tracker event has been stored since the key
 * was set up; the SPA polls it and can send a test event from the browser) → tracker options.
 */
import { z } from "zod";
import { conflict, forbidden } from "../../../platform/errors";
import { normalizeAllowedOrigin } from "../../../platform/publishable-keys";
import { roleHas } from "../../../platform/rbac";
import { firstTrackerEventSince, saveTrackerOptions, trackerOptions } from "../../analytics";
import { ensureTrackerKey, liveTrackerKeys } from "../../tenancy";
import type { WizardContext, WizardDefinition, WizardStep } from "../types";

const step = <S extends z.ZodTypeAny>(s: WizardStep<S>) => s as unknown as WizardStep;

const originsStep = z
  .object({
    origins: z.array(z.string().trim().min(1).max(300)).max(20),
    include_dashboard: z.boolean().default(true),
    key_id: z.string().max(64).nullable().default(null),
    key_name: z.string().trim().min(1).max(100).default("Website tracker"),
  })
  .superRefine((v, ctx) => {
    v.origins.forEach((o, i) => {
      if (!normalizeAllowedOrigin(o))
        ctx.addIssue({ code: "custom", path: ["origins", i], message: "An origin like https://shop.example.com (no path)" });
    });
    if (!v.origins.length && !v.include_dashboard)
      ctx.addIssue({ code: "custom", path: ["origins"], message: "Add your site's origin (e.g. https://www.example.com)" });
  });
const optionsStep = z.object({
  autocapture_links: z.boolean(),
  autocapture_forms: z.boolean(),
  require_consent: z.boolean(),
  respect_dnt: z.boolean(),
});

type Answers = {
  origins?: z.infer<typeof originsStep>;
  options?: z.infer<typeof optionsStep>;
  tracker_key?: { id: string; key: string; since: number };
};

export const trackerSnippet = (origin: string, key: string) => `<script src="${origin}/a.js" data-key="${key}" defer></script>`;

const needKeys = (ctx: WizardContext) => {
  if (!roleHas(ctx.c.get("tenant").role ?? "viewer", "publishable_keys:manage"))
    throw forbidden("Your role does not allow `publishable_keys:manage`.");
};

export const analyticsWizard: WizardDefinition = {
  kind: "analytics",
  title: "Analytics set-up",
  description: "Install the tracker on your site, see its first event arrive, and choose what it captures.",
  permission: "analytics:manage",
  group: "Grow",
  steps: [
    step({
      id: "origins",
      title: "Your site",
      description: "The tracker only accepts events from these origins; a publishable key carries the list.",
      schema: originsStep,
      status: async (ctx) => ({
        ready: true,
        detail: {
          keys: (await liveTrackerKeys(ctx.db, ctx.tenantId)).map((k) => ({ id: k.id, name: k.name, allowed_origins: k.allowed_origins })),
          dashboard_origin: ctx.origin,
        },
      }),
      apply: async (ctx, input, state) => {
        needKeys(ctx);
        const origins = input.origins.map((o) => normalizeAllowedOrigin(o) ?? o);
        if (input.include_dashboard) origins.push(normalizeAllowedOrigin(ctx.origin) ?? ctx.origin);
        const prev = (state as Answers).tracker_key;
        const keyId = input.key_id ?? prev?.id ?? null;
        const key = await ensureTrackerKey(
          ctx.db,
          ctx.tenantId,
          { keyId, name: input.key_name, origins, createdBy: ctx.userId },
          ctx.actor,
        );
        // The verification window starts when this key was first set up here, not at each re-submit.
        const since = prev && prev.id === key.id ? prev.since : Date.now();
        return { tracker_key: { id: key.id, key: key.key, since } };
      },
    }),
    step({
      id: "install",
      title: "Install and verify",
      description: "Paste the snippet before </head> on every page; the first event proves it works.",
      schema: z.object({}).passthrough(),
      requireReady: true,
      status: async (ctx, state) => {
        const k = (state as Answers).tracker_key;
        if (!k) return { ready: false, detail: { snippet: null, first_event: null } };
        const first = await firstTrackerEventSince(ctx.db, ctx.tenantId, k.since);
        return {
          ready: first !== null,
          detail: {
            key: k.key,
            key_id: k.id,
            snippet: trackerSnippet(ctx.origin, k.key),
            events_url: `${ctx.origin}/public/v1/events`,
            first_event: first,
          },
        };
      },
    }),
    step({
      id: "options",
      title: "What to capture",
      description: "Auto-capture clicks on outbound links and form submits; ask for consent first; honour Do-Not-Track.",
      schema: optionsStep,
      status: async (ctx) => ({ ready: true, detail: { current: await trackerOptions(ctx.db, ctx.tenantId) } }),
    }),
  ],
  complete: async (ctx, state) => {
    const a = state as Answers;
    const k = a.tracker_key;
    if (!k) throw conflict("Set up the tracker key first (the “Your site” step).", "wizard-step-missing");
    if (a.options) await saveTrackerOptions(ctx.db, ctx.tenantId, a.options);
    return [
      { type: "publishable_key", id: k.id, label: `Tracker key ${k.key.slice(0, 14)}…`, href: "/settings/publishable-keys" },
      { type: "analytics_settings", id: ctx.tenantId, label: "Tracker options saved", href: "/analytics/settings" },
      { type: "analytics_events", id: ctx.tenantId, label: "Live events", href: "/analytics/events" },
    ];
  },
};
