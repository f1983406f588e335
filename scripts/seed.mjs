// Seeds the local D1 idempotently: a demo workspace "Demo Co" (slug demo) owned by a verified
// demo user. Re-running resets the demo password to the printed one and changes nothing else.
//   node scripts/seed.mjs            (WEFT_STATE_DIR picks the state dir; WEFT_DEMO_PASSWORD the password)
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { wrangler } from "./local.mjs";

export const DEMO = {
  email: "demo@weft.local",
  name: "Demo Owner",
  password: process.env.WEFT_DEMO_PASSWORD || "weft-demo-password",
  workspace: "Demo Co",
  slug: "demo",
};

/** Same layout as newId() in workers/platform/ids.ts: prefix + Crockford base32 of 48-bit ms time + 80 random bits. */
export function newId(prefix) {
  const ALPHA = "0123456789abcdefghjkmnpqrstvwxyz";
  const bytes = Buffer.alloc(16);
  let t = Date.now();
  for (let i = 5; i >= 0; i--) (bytes[i] = t % 256), (t = Math.floor(t / 256));
  randomBytes(10).copy(bytes, 6);
  let out = "",
    buffer = 0,
    bits = 0;
  for (const b of bytes) {
    buffer = ((buffer << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) (out += ALPHA[(buffer >>> (bits - 5)) & 31]), (bits -= 5);
  }
  if (bits > 0) out += ALPHA[(buffer << (5 - bits)) & 31];
  return `${prefix}_${out}`;
}

/** Matches hashPassword() in workers/platform/crypto.ts. */
export function hashPassword(password) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, 100_000, 32, "sha256");
  return `pbkdf2-sha256$100000$${salt.toString("hex")}$${hash.toString("hex")}`;
}

const sql = (v) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replace(/'/g, "''")}'`);

export function seedSql(now = Date.now()) {
  const userId = newId("usr");
  const tenantId = newId("ten");
  return `
INSERT INTO users (id, email, name, password_hash, email_verified_at, created_at, updated_at)
VALUES (${sql(userId)}, ${sql(DEMO.email)}, ${sql(DEMO.name)}, ${sql(hashPassword(DEMO.password))}, ${now}, ${now}, ${now})
ON CONFLICT(email) DO UPDATE SET password_hash = excluded.password_hash, email_verified_at = coalesce(users.email_verified_at, excluded.email_verified_at), updated_at = excluded.updated_at;
INSERT INTO tenants (id, name, slug, created_at, updated_at) VALUES (${sql(tenantId)}, ${sql(DEMO.workspace)}, ${sql(DEMO.slug)}, ${now}, ${now})
ON CONFLICT(slug) DO NOTHING;
INSERT INTO memberships (tenant_id, user_id, role, created_at, updated_at)
SELECT t.id, u.id, 'owner', ${now}, ${now} FROM tenants t, users u WHERE t.slug = ${sql(DEMO.slug)} AND u.email = ${sql(DEMO.email)}
ON CONFLICT(tenant_id, user_id) DO NOTHING;
INSERT INTO onboarding_progress (tenant_id, step, completed_steps, focus, invites_sent, completed_at, updated_by, created_at, updated_at)
SELECT t.id, 'focus', '["workspace","invite","focus"]', 'team', 0, ${now}, NULL, ${now}, ${now} FROM tenants t WHERE t.slug = ${sql(DEMO.slug)}
ON CONFLICT(tenant_id) DO NOTHING;
INSERT INTO audit_logs (tenant_id, id, action, actor_type, actor_id, target_type, target_id, ip, user_agent, metadata, created_at)
SELECT t.id, ${sql(newId("aud"))}, 'tenant.created', 'system', NULL, 'tenant', t.id, NULL, 'seed', '{"source":"seed"}', ${now}
FROM tenants t WHERE t.slug = ${sql(DEMO.slug)} AND NOT EXISTS (SELECT 1 FROM audit_logs a WHERE a.tenant_id = t.id AND a.action = 'tenant.created');
`;
}

export function seed({ stateDir } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "weft-seed-"));
  try {
    const file = join(dir, "seed.sql");
    writeFileSync(file, seedSql());
    wrangler(["d1", "execute", "DB", "--local", "--file", file], { stateDir, quiet: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return DEMO;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  seed();
  console.log(`Seeded "${DEMO.workspace}" (${DEMO.slug}). Sign in as ${DEMO.email} / ${DEMO.password}`);
}
