// Seeds the local D1 idempotently with the demo workspace "Demo Co" (slug demo): its verified owner,
// four teammates (admin, member ×2, viewer) and a pending invitation, an API key, a Starter
// subscription on the payment simulator with paid invoices and usage, sent messages with delivery
// attempts (and dev mailbox copies), email lists, a webhook endpoint with deliveries and a few dozen
// audit events (scripts/seed/sql.mjs). Re-running inserts nothing twice and changes nothing, except
// that a changed demo password is reset to the printed one.
//
// What needs the running Worker — knowledge sources indexed by the real pipeline (R2, queue, chunks,
// FTS, vectors) and chat conversations held by their ChatSession objects — is done afterwards by
// seedLive() in scripts/seed/live.mjs (`npm start` runs it once the dev server is up); seed() reports
// what of it is still missing, so a second start does not even sign in.
//   node scripts/seed.mjs            (WEFT_STATE_DIR picks the state dir; WEFT_DEMO_PASSWORD the password)
import { createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DEMO_CHAT_KEY, demoChatSql } from "../web/widget/demo-site.mjs";
import { CHAT_SCENARIOS, KNOWLEDGE_FAQS, KNOWLEDGE_FILES } from "./seed/content.mjs";
import { seedLive } from "./seed/live.mjs";
import { backdateKnowledgeSql, demoSql, q, TENANT } from "./seed/sql.mjs";
import { releasesSql } from "./seed/releases.mjs";
import { surveysSql } from "./seed/surveys.mjs";
import { analyticsSql } from "./seed/analytics.mjs";
import { houseSql } from "./seed/house.mjs";
import { commerceSql } from "./seed/commerce.mjs";
import { endUsersSql } from "./seed/endusers.mjs";
import { forumSql } from "./seed/forum.mjs";
import { salesSql } from "./seed/sales.mjs";
import { workflowsSql } from "./seed/workflows.mjs";
import { insightsSql } from "./seed/insights.mjs";
import { voiceSql } from "./seed/voice.mjs";
import { fusionSql } from "./seed/fusion.mjs";
import { filesMissingSql, seedFiles } from "./seed/files.mjs";
import { ROOT, wrangler } from "./local.mjs";

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

/**
 * Matches hashPassword() in workers/platform/crypto.ts. Demo accounts get a salt derived from
 * email + password instead of a random one, so re-seeding with the same password writes the same
 * hash and changes nothing (their password is printed in the terminal anyway).
 */
export function hashPassword(password, salt = randomBytes(16)) {
  const hash = pbkdf2Sync(password, salt, 100_000, 32, "sha256");
  return `pbkdf2-sha256$100000$${salt.toString("hex")}$${hash.toString("hex")}`;
}
const demoPasswordHash = (email) =>
  hashPassword(DEMO.password, createHmac("sha256", "weft-demo-seed").update(`${email}\n${DEMO.password}`).digest().subarray(0, 16));

/** ENCRYPTION_KEY the local Worker runs with: .dev.vars, else the local fallback (workers/platform/env.ts). */
function localEncryptionKey() {
  const file = join(ROOT, ".dev.vars");
  const m = existsSync(file) ? /^ENCRYPTION_KEY=(.*)$/m.exec(readFileSync(file, "utf8")) : null;
  const v = m?.[1]?.trim().replace(/^["']|["']$/g, "");
  if (v && Buffer.from(v, "base64").length === 32) return v;
  return "bG9jYWwtZGV2LWVuY3J5cHRpb24ta2V5LTMyYnl0ZXM=";
}

const DAY = 86_400_000;

/**
 * The whole seed as one SQL script. The last two statements report what seedLive() still has to do:
 * demo knowledge sources that do not exist yet (by title), and chat scenarios whose visitor has no
 * conversation yet (by e-mail).
 */
export function seedSql(
  now = Date.now(),
  { appUrl = "http://localhost:8787", webhookUrl = "http://localhost:8788/webhooks/weft", chatOrigins = null } = {},
) {
  const created = now - 100 * DAY; // a fresh demo workspace looks a few months old
  const titles = [...KNOWLEDGE_FILES.map((f) => f.title), ...KNOWLEDGE_FAQS.map((f) => f.question)];
  const emails = CHAT_SCENARIOS.map((s) => s.visitor.email);
  return `
INSERT INTO users (id, email, name, password_hash, email_verified_at, created_at, updated_at)
VALUES (${q(newId("usr"))}, ${q(DEMO.email)}, ${q(DEMO.name)}, ${q(demoPasswordHash(DEMO.email))}, ${created}, ${created}, ${created})
ON CONFLICT(email) DO UPDATE SET password_hash = excluded.password_hash, email_verified_at = coalesce(users.email_verified_at, excluded.email_verified_at), updated_at = ${now}
WHERE users.password_hash <> excluded.password_hash OR users.email_verified_at IS NULL;
INSERT INTO tenants (id, name, slug, created_at, updated_at) VALUES (${q(newId("ten"))}, ${q(DEMO.workspace)}, ${q(DEMO.slug)}, ${created}, ${created})
ON CONFLICT(slug) DO NOTHING;
INSERT INTO memberships (tenant_id, user_id, role, created_at, updated_at)
SELECT t.id, u.id, 'owner', ${created}, ${created} FROM tenants t, users u WHERE t.slug = ${q(DEMO.slug)} AND u.email = ${q(DEMO.email)}
ON CONFLICT(tenant_id, user_id) DO NOTHING;
INSERT INTO onboarding_progress (tenant_id, step, completed_steps, focus, invites_sent, completed_at, updated_by, created_at, updated_at)
SELECT t.id, 'focus', '["workspace","invite","focus"]', 'widget', 1, ${created}, NULL, ${created}, ${created} FROM tenants t WHERE t.slug = ${q(DEMO.slug)}
ON CONFLICT(tenant_id) DO NOTHING;
INSERT INTO audit_logs (tenant_id, id, action, actor_type, actor_id, target_type, target_id, ip, user_agent, metadata, created_at)
SELECT t.id, ${q(newId("aud"))}, 'tenant.created', 'system', NULL, 'tenant', t.id, NULL, 'seed', '{"source":"seed"}', t.created_at
FROM tenants t WHERE t.slug = ${q(DEMO.slug)} AND NOT EXISTS (SELECT 1 FROM audit_logs a WHERE a.tenant_id = t.id AND a.action = 'tenant.created');
${demoSql({ now, passwordHash: demoPasswordHash, appUrl, webhookUrl, encryptionKey: localEncryptionKey() })}
${releasesSql({ now })}
${surveysSql({ now })}
${analyticsSql({ now })}
${houseSql({ now, passwordHash: demoPasswordHash })}
${commerceSql({ now })}
${endUsersSql({ now })}
${forumSql({ now })}
${salesSql({ now })}
${workflowsSql({ now, encryptionKey: localEncryptionKey() })}
${insightsSql({ now })}
${voiceSql({ now })}
${fusionSql({ now })}
${chatOrigins ? demoChatSql({ origins: chatOrigins }) : ""}
${filesMissingSql()}
SELECT json_group_array(x.value) AS missing FROM json_each(${q(JSON.stringify(titles))}) x
WHERE NOT EXISTS (SELECT 1 FROM kb_sources s WHERE s.tenant_id = ${TENANT} AND s.title = x.value);
SELECT json_group_array(x.value) AS missing FROM json_each(${q(JSON.stringify(emails))}) x
WHERE NOT EXISTS (SELECT 1 FROM chat_conversations c WHERE c.tenant_id = ${TENANT} AND c.visitor_email = x.value);
`;
}

/**
 * Runs the seed against the local D1 (`stateDir`: the dev server's state; default .wrangler/state).
 * `chatOrigins`: also run seedDemoChat() (web/widget/demo-site.mjs) for the demo site on these origins,
 * in the same wrangler call. Returns the demo credentials and `live`: the knowledge titles and chat
 * visitors seedLive() must still create (both empty once it has run).
 */
export function seed({ stateDir, appUrl, webhookUrl, chatOrigins } = {}) {
  const out = executeSql(seedSql(Date.now(), { appUrl, webhookUrl, chatOrigins }), stateDir);
  const results = JSON.parse(out.slice(out.indexOf("[")));
  const missing = (r) => JSON.parse(r?.results?.[0]?.missing ?? "[]");
  const [files, knowledge, chat] = results.slice(-3).map(missing);
  return { ...DEMO, live: { knowledge, chat, files } };
}

function executeSql(sql, stateDir) {
  const dir = mkdtempSync(join(tmpdir(), "weft-seed-"));
  try {
    const file = join(dir, "seed.sql");
    writeFileSync(file, sql);
    return wrangler(["d1", "execute", "DB", "--local", "--json", "--file", file], { stateDir, quiet: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The second half of the seed, with the dev server at `url` running on `stateDir`: seedLive()
 * (scripts/seed/live.mjs) creates what seed() reported missing through the API, then the new
 * knowledge sources are dated back to when the demo team "wrote" them. `origin` must be one of the
 * `chatOrigins` given to seed(). Returns how many knowledge sources and conversations it created.
 */
export async function seedDemoLive({ url, stateDir, live, origin, log }) {
  const done = await seedLive({ url, live, password: DEMO.password, key: DEMO_CHAT_KEY, origin, log });
  if (done.knowledge) {
    const items = [
      ...KNOWLEDGE_FILES.map((f) => ({ title: f.title, daysAgo: f.daysAgo })),
      ...KNOWLEDGE_FAQS.map((f) => ({ title: f.question, daysAgo: f.daysAgo })),
    ].filter((i) => live.knowledge.includes(i.title));
    executeSql(backdateKnowledgeSql(Date.now(), items), stateDir);
  }
  return done;
}

/** The demo file manager's files that seed() reported missing, uploaded through the running Worker (scripts/seed/files.mjs). */
export function seedDemoFiles({ url, missing, log }) {
  return seedFiles({ url, password: DEMO.password, missing, log });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = seed();
  console.log(`Seeded "${DEMO.workspace}" (${DEMO.slug}). Sign in as ${DEMO.email} / ${DEMO.password}`);
  if (r.live.knowledge.length || r.live.chat.length || r.live.files.length)
    console.log(
      `Still to do with the server running (npm start does it): ${r.live.knowledge.length} knowledge sources, ${r.live.chat.length} chat conversations, ${r.live.files.length} files.`,
    );
}
