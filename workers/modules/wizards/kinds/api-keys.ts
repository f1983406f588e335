/**
 * API key management wizard: pick scopes (each explained in rbac.ts's plain words), name and expiry,
 * the key is created and its secret shown once (never stored in the run: it travels as `reveal`),
 * code snippets with the real base URL, and rotation (the new key replaces an old one, revoked only
 * after the person confirms).
 */
import { z } from "zod";
import { ALL_PERMISSIONS, PERMISSIONS, roleHas, type Permission } from "../../../platform/rbac";
import { Problem } from "../../../platform/errors";
import { createApiKey, revokeApiKey } from "../../tenancy";
import { defineStep, type WizardContext, type WizardDefinition, type WizardState } from "../types";

export const KEY_EXPIRY_DAYS = [30, 90, 365] as const;

const scopesStep = z.object({
  scopes: z
    .array(z.enum(ALL_PERMISSIONS as [Permission, ...Permission[]], { message: "Unknown scope" }))
    .min(1, "Pick at least one scope")
    .max(ALL_PERMISSIONS.length),
});
const detailsStep = z.object({
  name: z.string().trim().min(1, "Name the key (e.g. where it is used)").max(100, "Use at most 100 characters"),
  expires_in_days: z
    .number()
    .int()
    .refine((d) => (KEY_EXPIRY_DAYS as readonly number[]).includes(d), { message: `Pick ${KEY_EXPIRY_DAYS.join(", ")} days or never` })
    .nullable(),
});
const snippetStep = z.object({ copied: z.boolean().optional() });
const rotationStep = z.object({
  replace_key_id: z.string().max(64).nullable(),
  confirm_revoke: z.boolean().optional(),
});

interface CreatedKey {
  key_id: string;
  prefix: string;
  name: string;
  scopes: string[];
  expires_at: string | null;
}

/** Example calls the key can make: the first scope below that it holds (all GETs). */
const SAMPLE_CALLS: [Permission, string][] = [
  ["tenant:read", "/api/v1/tenant"],
  ["members:read", "/api/v1/members"],
  ["releases:read", "/api/v1/releases"],
  ["files:read", "/api/v1/files"],
  ["workflows:read", "/api/v1/workflows"],
  ["messages:read", "/api/v1/messages"],
  ["api_keys:read", "/api/v1/api-keys"],
];

export function snippets(origin: string, tenantId: string, scopes: readonly string[]) {
  const path = SAMPLE_CALLS.find(([p]) => scopes.includes(p))?.[1] ?? null;
  const url = `${origin}${path ?? "/api/v1/tenant"}`;
  const key = "$WEFT_API_KEY";
  return {
    base_url: `${origin}/api/v1`,
    sample_path: path,
    curl: `curl ${url} \\\n  -H "Authorization: Bearer ${key}"`,
    fetch: `const res = await fetch("${url}", {\n  headers: { Authorization: \`Bearer \${process.env.WEFT_API_KEY}\` },\n});\nconsole.log(await res.json());`,
    python: `import os, requests\n\nres = requests.get(\n    "${url}",\n    headers={"Authorization": f"Bearer {os.environ['WEFT_API_KEY']}"},\n)\nprint(res.json())`,
    tenant_id: tenantId,
  };
}

function checkScopes(ctx: WizardContext, scopes: Permission[]) {
  const role = ctx.c.get("tenant").role ?? "viewer";
  const errors = scopes.flatMap((s, i) =>
    roleHas(role, s) ? [] : [{ path: `scopes.${i}`, message: `Your role (${role}) cannot grant ${s}` }],
  );
  if (errors.length)
    throw new Problem(422, "validation-failed", "Check the highlighted scopes", errors.map((e) => e.message).join("; "), { errors });
}

/** Creates the key once per run (a retried Next returns the stored one, without its secret). */
async function createKey(ctx: WizardContext, input: z.infer<typeof detailsStep>, state: WizardState): Promise<WizardState> {
  if (state.created) return {};
  const scopes = (state.scopes as z.infer<typeof scopesStep>).scopes;
  const key = await createApiKey(
    ctx.db,
    ctx.tenantId,
    {
      name: input.name,
      scopes,
      expiresInDays: input.expires_in_days ?? undefined,
      creatorId: ctx.userId,
      creatorRole: ctx.c.get("tenant").role ?? "viewer",
    },
    ctx.actor,
  );
  const created: CreatedKey = { key_id: key.id, prefix: key.prefix, name: key.name, scopes: key.scopes, expires_at: key.expires_at };
  return { created, reveal: { secret: key.secret } };
}

export const apiKeysWizard: WizardDefinition = {
  kind: "api-keys",
  title: "API key",
  description: "Create a secret API key with only the access it needs, get code to call Weft with it, and replace an old key safely.",
  permission: "api_keys:manage",
  group: "Settings",
  steps: [
    defineStep({
      id: "scopes",
      title: "What the key may do",
      description: "Give the key only the scopes its program needs; each one is explained in plain words.",
      schema: scopesStep,
      apply: async (ctx, input, state) => {
        if (state.created) {
          throw new Problem(
            409,
            "wizard-key-created",
            "Key already created",
            "This run already created its key; run the wizard again for another one.",
          );
        }
        checkScopes(ctx, input.scopes);
        return undefined;
      },
      status: async (ctx) => {
        const role = ctx.c.get("tenant").role ?? "viewer";
        return {
          ready: true,
          detail: {
            scopes: ALL_PERMISSIONS.filter((p) => roleHas(role, p)).map((p) => ({ scope: p, description: PERMISSIONS[p].description })),
          },
        };
      },
    }),
    defineStep({
      id: "details",
      title: "Name and expiry",
      description: "A name says where the key is used; an expiry limits the damage if it ever leaks.",
      schema: detailsStep,
      apply: createKey,
    }),
    defineStep({
      id: "snippet",
      title: "Use it",
      description: "Copy the key now — it is shown only once — and try it with one of these snippets.",
      schema: snippetStep,
      status: async (ctx, state) => {
        const created = state.created as CreatedKey | undefined;
        return { ready: Boolean(created), detail: { key: created ?? null, ...snippets(ctx.origin, ctx.tenantId, created?.scopes ?? []) } };
      },
    }),
    defineStep({
      id: "rotation",
      title: "Replace an old key",
      description:
        "If this key replaces an older one, revoke the old key once the new one is in place. Programs using the old key stop working.",
      schema: rotationStep,
      apply: async (ctx, input, state) => {
        if (!input.replace_key_id) return { revoked: null };
        const created = state.created as CreatedKey | undefined;
        if (input.replace_key_id === created?.key_id) {
          throw new Problem(422, "validation-failed", "Pick another key", "The new key cannot replace itself.", {
            errors: [{ path: "replace_key_id", message: "Pick an older key" }],
          });
        }
        if (!input.confirm_revoke) {
          throw new Problem(422, "validation-failed", "Confirm the revocation", "Confirm that the old key may stop working now.", {
            errors: [{ path: "confirm_revoke", message: "Confirm to revoke the old key" }],
          });
        }
        const old = await revokeApiKey(ctx.db, ctx.tenantId, input.replace_key_id, ctx.actor);
        return { revoked: { key_id: old.id, name: old.name, prefix: old.prefix } };
      },
    }),
  ],
  complete: async (_ctx, state) => {
    const created = state.created as CreatedKey | undefined;
    const revoked = state.revoked as { key_id: string; name: string; prefix: string } | null | undefined;
    return [
      ...(created
        ? [{ type: "api_key", id: created.key_id, label: `API key "${created.name}" (${created.prefix}…)`, href: "/settings/api-keys" }]
        : []),
      ...(revoked
        ? [
            {
              type: "api_key_revoked",
              id: revoked.key_id,
              label: `Revoked "${revoked.name}" (${revoked.prefix}…)`,
              href: "/settings/api-keys",
            },
          ]
        : []),
    ];
  },
};
