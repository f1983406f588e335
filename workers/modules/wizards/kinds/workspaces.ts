/**
 * Multi-tenant configuration wizard: sub-workspaces (children of this workspace, owned by its owner;
 * modules/tenancy/sub-workspaces.ts) → the portal's custom domain (a TXT record to create, then a
 * DNS-over-HTTPS check; modules/endusers/domain-verification.ts) → branding (name, colours, logo of
 * the portal and the hosted pages; modules/endusers portal settings, read by platform/workspace-brand.ts).
 *
 * Plan gate for sub-workspaces: billing's `sub_workspaces` feature (Enterprise). A parent with
 * children is an agency or a group running several businesses; that is the plan with unlimited
 * seats, SSO and custom integrations, and each child is a full workspace (its own quotas) that the
 * parent's owner takes on.
 */
import { z } from "zod";
import { getMember } from "../../../platform/directory";
import { forbidden } from "../../../platform/errors";
import { type Permission, roleHas } from "../../../platform/rbac";
import { checkQuota, hasFeature, requireFeature } from "../../billing";
import {
  checkDomainVerification,
  clearCustomDomain,
  getDomainVerification,
  getPortalSettings,
  serializeDomainVerification,
  startDomainVerification,
  updatePortalSettings,
} from "../../endusers";
import { createSubWorkspace, listSubWorkspaces } from "../../tenancy";
import { defineStep, type WizardContext, type WizardDefinition, type WizardObject } from "../types";

function need(ctx: WizardContext, permission: Permission) {
  const role = ctx.c.get("tenant")?.role;
  if (!role || !roleHas(role, permission)) throw forbidden(`Your role cannot change this (${permission}).`);
}

async function requireSubWorkspacePlan(ctx: WizardContext) {
  await requireFeature(ctx.c, "sub_workspaces");
}

const HEX = z.string().regex(/^#[0-9a-fA-F]{6}$/, "A colour like #4f46e5");
const subStep = z.object({
  children: z
    .array(z.object({ name: z.string().trim().min(2, "At least 2 characters").max(80) }))
    .max(10, "Up to 10 at a time")
    .default([])
    .refine((c) => new Set(c.map((x) => x.name.toLowerCase())).size === c.length, { message: "Two sub-workspaces have the same name" }),
});
const domainStep = z.object({ domain: z.string().trim().max(253).nullable() });
const verifyStep = z.object({});
const brandStep = z.object({
  brand_name: z.string().trim().max(80).nullable(),
  primary_color: HEX.nullable(),
  accent_color: HEX.nullable(),
  logo_file_id: z.string().max(64).nullable().optional(),
});

type Child = { id: string; name: string; slug: string };

export const workspacesWizard: WizardDefinition = {
  kind: "workspaces",
  title: "Multi-tenant configuration",
  description: "Set up workspaces for your clients or branches, your own domain for the customer portal, and your brand.",
  permission: "tenant:update",
  group: "Settings",
  steps: [
    defineStep({
      id: "sub_workspaces",
      title: "Sub-workspaces",
      description: "Each one is a separate workspace — its own members, data and billing — that you own and can switch to.",
      schema: subStep,
      apply: async (ctx, input, state) => {
        const made: Child[] = [...((state.children_created as Child[] | undefined) ?? [])];
        const todo = input.children.filter((c) => !made.some((m) => m.name === c.name));
        if (!todo.length) return { children_created: made };
        // The owner creates children (each is a workspace they will own), on the plan that has them.
        const me = await getMember(ctx.db, ctx.tenantId, ctx.userId).catch(() => null);
        if (me?.role !== "owner") throw forbidden("Only the workspace's owner creates sub-workspaces (they become their owner).");
        await requireSubWorkspacePlan(ctx);
        for (const c of todo) {
          const t = await createSubWorkspace(ctx.db, { parentTenantId: ctx.tenantId, name: c.name, ownerUserId: ctx.userId }, ctx.actor);
          made.push({ id: t.id, name: t.name, slug: t.slug });
        }
        return { children_created: made };
      },
      status: async (ctx) => {
        const [children, quota, allowed] = await Promise.all([
          listSubWorkspaces(ctx.db, ctx.tenantId),
          checkQuota(ctx.db, ctx.env.DB, ctx.tenantId, "emails", 0),
          hasFeature(ctx.db, ctx.tenantId, "sub_workspaces"),
        ]);
        return {
          ready: true,
          detail: {
            children: children.map((c) => ({ id: c.id, name: c.name, slug: c.slug })),
            plan: quota.plan,
            plan_allows: allowed,
            required_plan: "enterprise",
          },
        };
      },
    }),
    defineStep({
      id: "domain",
      title: "Custom domain",
      description: "Serve the customer portal from your own address, e.g. help.example.com (leave empty to skip).",
      schema: domainStep,
      apply: async (ctx, input) => {
        need(ctx, "endusers:manage");
        if (!input.domain) {
          if (await getDomainVerification(ctx.db, ctx.tenantId)) await clearCustomDomain(ctx.env, ctx.db, ctx.tenantId, ctx.actor);
          return { domain_verification: null };
        }
        await requireFeature(ctx.c, "custom_domain");
        const row = await startDomainVerification(ctx.env, ctx.db, ctx.tenantId, input.domain, ctx.actor);
        return { domain_verification: serializeDomainVerification(row) };
      },
    }),
    defineStep({
      id: "verify",
      title: "Verify the domain",
      description: "Create the TXT record at your DNS provider, then check; DNS changes can take a while to appear.",
      schema: verifyStep,
      // Each status call is a "Check": it looks the record up through DNS-over-HTTPS and stores the result.
      status: async (ctx) => {
        const row = await checkDomainVerification(ctx.env, ctx.db, ctx.tenantId, ctx.actor);
        return { ready: true, detail: { verification: row ? serializeDomainVerification(row) : null } };
      },
    }),
    defineStep({
      id: "branding",
      title: "Branding",
      description: "The name, colours and logo your customers see on the portal and the hosted checkout.",
      schema: brandStep,
      apply: async (ctx, input) => {
        need(ctx, "endusers:manage");
        await updatePortalSettings(
          ctx.env,
          ctx.db,
          ctx.tenantId,
          {
            brandName: input.brand_name || null,
            primaryColor: input.primary_color,
            accentColor: input.accent_color,
            ...(input.logo_file_id === undefined ? {} : { logoFileId: input.logo_file_id }),
          },
          ctx.actor,
        );
        return undefined;
      },
      status: async (ctx) => {
        const s = await getPortalSettings(ctx.db, ctx.tenantId);
        return {
          ready: true,
          detail: { brand_name: s.brandName, primary_color: s.primaryColor, accent_color: s.accentColor, logo_file_id: s.logoFileId },
        };
      },
    }),
  ],
  complete: async (ctx) => {
    const objects: WizardObject[] = (await listSubWorkspaces(ctx.db, ctx.tenantId)).map((c) => ({
      type: "sub_workspace",
      id: c.id,
      label: `Sub-workspace “${c.name}”`,
      href: "/settings",
    }));
    const domain = await getDomainVerification(ctx.db, ctx.tenantId);
    if (domain) {
      objects.push({
        type: "custom_domain",
        id: domain.domain,
        label: `Portal domain ${domain.domain} (${domain.status})`,
        href: "/customers/portal",
      });
    }
    const s = await getPortalSettings(ctx.db, ctx.tenantId);
    objects.push({
      type: "portal_brand",
      id: ctx.tenantId,
      label: `Brand ${s.brandName ?? "(workspace name)"}${s.primaryColor ? ` · ${s.primaryColor}` : ""}`,
      href: "/customers/portal",
    });
    return objects;
  },
};
