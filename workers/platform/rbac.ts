import type { Role } from "../../schema/tenancy";

/**
 * The permission matrix: the single source of truth, rendered into docs/permissions.md by
 * `npm run docs:permissions` and enforced by requirePermission(). Modules add their permissions here.
 */
export const PERMISSIONS = {
  "tenant:read": { roles: ["owner", "admin", "member", "viewer"], description: "See workspace details" },
  "tenant:update": { roles: ["owner", "admin"], description: "Rename the workspace, change its slug" },
  "members:read": { roles: ["owner", "admin", "member", "viewer"], description: "List members and their roles" },
  "members:invite": { roles: ["owner", "admin"], description: "Create, resend and revoke invitations" },
  "members:update": { roles: ["owner", "admin"], description: "Change a member's role (admins cannot grant or touch owner)" },
  "members:remove": { roles: ["owner", "admin"], description: "Remove a member (admins cannot remove owners)" },
  "ownership:transfer": { roles: ["owner"], description: "Transfer ownership to another member" },
  "api_keys:read": { roles: ["owner", "admin"], description: "List secret API keys (never their secrets)" },
  "api_keys:manage": { roles: ["owner", "admin"], description: "Create and revoke secret API keys" },
  "publishable_keys:read": { roles: ["owner", "admin", "member"], description: "List publishable keys" },
  "publishable_keys:manage": { roles: ["owner", "admin"], description: "Create, edit origins of, and revoke publishable keys" },
  "audit:read": { roles: ["owner", "admin"], description: "Read the audit log" },
  "billing:read": { roles: ["owner", "admin", "member", "viewer"], description: "See the plan, usage, limits and invoices" },
  "billing:manage": {
    roles: ["owner", "admin"],
    description: "Subscribe, change plan or seats, cancel, manage payment methods and overage",
  },
  "messages:read": { roles: ["owner", "admin", "member"], description: "See the delivery log, templates and recipient preferences" },
  "messages:send": { roles: ["owner", "admin"], description: "Send messages through the API, replay and cancel messages" },
  "templates:manage": { roles: ["owner", "admin"], description: "Edit message templates (new versions) and revert them" },
  "messaging:manage": { roles: ["owner", "admin"], description: "Configure email/SMS provider accounts and change recipient preferences" },
  "lists:read": { roles: ["owner", "admin", "member"], description: "See email lists and their subscribers" },
  "lists:manage": { roles: ["owner", "admin"], description: "Create lists, add/remove/erase subscribers, export, send broadcasts" },
  "webhooks:read": { roles: ["owner", "admin"], description: "See webhook endpoints and their delivery log" },
  "webhooks:manage": {
    roles: ["owner", "admin"],
    description: "Create, edit, delete webhook endpoints; reveal/rotate secrets; replay and test",
  },
  "chat:read": { roles: ["owner", "admin", "member", "viewer"], description: "See chat conversations, transcripts and widget settings" },
  "chat:reply": { roles: ["owner", "admin", "member"], description: "Reply to, assign and close chat conversations" },
  "chat:manage": { roles: ["owner", "admin"], description: "Change widget settings, identity secret and saved replies" },
  "knowledge:read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See knowledge sources, search the knowledge base and ask it questions",
  },
  "knowledge:manage": {
    roles: ["owner", "admin", "member"],
    description: "Upload, import, edit, re-index and delete knowledge sources; rebuild the index",
  },
  "ai:read": { roles: ["owner", "admin"], description: "See AI provider settings (never keys) and the AI usage log" },
  "ai:manage": {
    roles: ["owner", "admin"],
    description: "Change the AI provider chain, persona and redaction; set, test and remove provider keys",
  },
  "releases:read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See release notes (drafts and scheduled ones too) and the What's new panel",
  },
  "releases:write": {
    roles: ["owner", "admin", "member"],
    description: "Write, edit, schedule, publish, unpublish and delete release notes (the public changelog)",
  },
  "analytics:read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See product analytics: trends, top pages, funnels, retention and growth metrics",
  },
  "analytics:edit": { roles: ["owner", "admin", "member"], description: "Save, rename and delete funnels" },
  "analytics:manage": {
    roles: ["owner", "admin"],
    description: "Change tracker settings (auto-capture, consent, Do-Not-Track) and raw-event retention",
  },
  "analytics:ingest": { roles: ["owner", "admin"], description: "Send server-side events through the API (secret API keys)" },
  "surveys:read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See NPS results and responses (and export them as CSV) and the feedback inbox",
  },
  "surveys:triage": {
    roles: ["owner", "admin", "member"],
    description: "Triage feedback (status, assignee, tags), reply to submitters by email, mark NPS follow-ups done",
  },
  "surveys:manage": { roles: ["owner", "admin"], description: "Change NPS display rules and the feedback button; delete feedback" },
  "files:read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See files and folders, download them, create signed links, see file settings and storage usage",
  },
  "files:write": {
    roles: ["owner", "admin", "member"],
    description: "Upload, rename, move, tag, share publicly, trash, restore and delete files; folders; upload tickets; file settings",
  },
  "commerce:read": {
    roles: ["owner", "admin", "member", "viewer"],
    description:
      "See the catalogue (products, variants, stock, collections), tax and shipping rates, coupons and commerce settings; export products as CSV; orders with their timeline, customers, sales; which payment providers are set up (never their secrets)",
  },
  "commerce:write": {
    roles: ["owner", "admin", "member"],
    description:
      "Create, edit, import and delete products, variants, stock counts and collections; tax and shipping rates; coupons; commerce settings; refund, ship and cancel orders, add notes, resend receipts; set payment-provider keys",
  },
  "endusers:read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See the workspace's end users (its customers' portal accounts) and the portal settings",
  },
  "endusers:manage": {
    roles: ["owner", "admin"],
    description: "Add, block, unblock and delete end users (GDPR erase with their data); change portal settings and the hand-over secret",
  },
  "forum:read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See the community forum from the dashboard: topics, posts, members, the moderation log and activity figures",
  },
  "forum:post": {
    roles: ["owner", "admin", "member"],
    description: "Post in the community as staff (with the staff badge), edit own posts, mark accepted answers",
  },
  "forum:moderate": {
    roles: ["owner", "admin", "member"],
    description:
      "Work the moderation queue: approve, hide, delete, move, merge, lock and pin; resolve flags; suspend, silence and set trust levels of members; reverse moderation actions; override AI decisions",
  },
  "forum:manage": {
    roles: ["owner", "admin"],
    description:
      "Turn the forum on or off; edit categories and their permissions, trust thresholds, moderation and spam rules; promote moderators",
  },
  "sales:read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See leads, companies, deals, tasks, activity timelines, sequences, drafts and the salesboard",
  },
  "sales:write": {
    roles: ["owner", "admin", "member"],
    description:
      "Create and edit leads, companies, deals and tasks; log notes and calls; import CSVs and merge duplicates; enrol leads in sequences",
  },
  "sales:approve": {
    roles: ["owner", "admin", "member"],
    description: "Edit, approve, reject and send the writer's drafts; reply from the dev inbox",
  },
  "sales:manage": {
    roles: ["owner", "admin"],
    description:
      "Edit the ICP, accept or revert refitted scoring models; pipelines, custom fields, mailboxes, sequences (auto-send) and the writer's tone; export and delete leads; connect CRMs",
  },
  "workflows:read": {
    roles: ["owner", "admin", "member", "viewer"],
    description: "See workflows, their versions, run history and the approvals waiting on you",
  },
  "workflows:write": {
    roles: ["owner", "admin", "member"],
    description: "Create and edit workflow drafts, start, cancel and re-run runs; manage the workflow secrets vault",
  },
  "workflows:publish": { roles: ["owner", "admin"], description: "Publish a workflow version (what its triggers start)" },
  "assistant:use": {
    roles: ["owner", "admin", "member", "viewer"],
    description:
      "Ask the assistant and keep conversations; its tools still need each route's own permission (a write runs only when confirmed)",
  },
  "insights:read": {
    roles: ["owner", "admin", "member"],
    description:
      "See anomaly alerts, metric charts and suggestions; dismiss suggestions; choose whether to get the insight digest; send a preview to yourself",
  },
  "insights:manage": {
    roles: ["owner", "admin"],
    description: "Acknowledge alerts; change the insight digest (schedule, time zone) and turn alerts on or off",
  },
} as const satisfies Record<string, { roles: readonly Role[]; description: string }>;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

const byRole = new Map<Role, Set<Permission>>();
for (const perm of ALL_PERMISSIONS) {
  for (const role of PERMISSIONS[perm].roles as readonly Role[]) {
    if (!byRole.has(role)) byRole.set(role, new Set());
    byRole.get(role)!.add(perm);
  }
}

export function roleHas(role: Role, perm: Permission): boolean {
  return byRole.get(role)?.has(perm) ?? false;
}

export function permissionsOf(role: Role): Permission[] {
  return [...(byRole.get(role) ?? [])];
}

/** Role rank, for "may not grant a role above your own" checks. */
export const ROLE_RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0 };

export function isPermission(value: string): value is Permission {
  return value in PERMISSIONS;
}
