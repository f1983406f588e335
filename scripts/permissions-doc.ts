// Renders the permission matrix from workers/platform/rbac.ts into docs/permissions.md.
// `node scripts/permissions-doc.ts` writes it; `--check` fails if the committed file is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { PERMISSIONS } from "../workers/platform/rbac.ts";

const roles = ["owner", "admin", "member", "viewer"] as const;
const rows = Object.entries(PERMISSIONS).map(
  ([perm, def]) =>
    `| \`${perm}\` | ${roles.map((r) => ((def.roles as readonly string[]).includes(r) ? "✓" : "—")).join(" | ")} | ${def.description} |`,
);
const doc = `# Permission matrix

Generated from \`workers/platform/rbac.ts\` by \`npm run docs:permissions\`; enforced by
\`defineRoute({ auth: "tenant", permission })\` (one middleware, \`workers/platform/auth.ts\`).
API keys carry scopes instead of a role: a key may only hold permissions its creator's role has.

| permission | owner | admin | member | viewer | what it allows |
|---|---|---|---|---|---|
${rows.join("\n")}

Rules beyond the matrix, enforced in the tenancy services:
- A workspace always has at least one owner: the last owner cannot be demoted, removed, or leave.
- Admins cannot grant the owner role, invite owners, or change or remove an owner.
- Only an owner can transfer ownership; the previous owner becomes an admin.
- \`X-Tenant-ID\` naming a workspace you are not a member of answers 404, as does any id from another workspace.
`;

const target = new URL("../docs/permissions.md", import.meta.url);
if (process.argv.includes("--check")) {
  const current = readFileSync(target, "utf8");
  if (current !== doc) {
    console.error("docs/permissions.md is out of date: run `npm run docs:permissions`.");
    process.exit(1);
  }
  console.log("docs/permissions.md is up to date.");
} else {
  writeFileSync(target, doc);
  console.log("wrote docs/permissions.md");
}
