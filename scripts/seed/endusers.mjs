// The demo workspace's end users (modules/endusers): its portal on (open sign-up, branded), a few
// customers — signed up, arrived by email code, handed over from the shop's own accounts, invited
// and not yet in, one blocked — with sign-in sessions spread over the last weeks. Passwordless:
// sign in as one of them at /portal/demo with "Email me a sign-in code" and the dev mailbox.
import { insert, raw, TENANT } from "./sql.mjs";

const DAY = 86_400_000;

/** [id suffix, email, name, source, days ago created, days ago last seen | null, verified, blocked reason | null, external id | null] */
const END_USERS = [
  ["maya", "maya.lindqvist@example.com", "Maya Lindqvist", "signup", 41, 1, true, null, null],
  ["tomas", "tomas.novak@example.com", "Tomáš Novák", "code", 33, 4, true, null, null],
  ["aiko", "aiko.tanaka@example.com", "Aiko Tanaka", "handover", 27, 0, true, null, "shop-10442"],
  ["lucas", "lucas.moreau@example.com", "Lucas Moreau", "code", 19, 12, true, null, null],
  ["priya", "priya.raman@example.com", "Priya Raman", "invite", 6, null, false, null, null],
  ["spam", "deals4u@example.net", "Deals 4 U", "signup", 9, 8, false, "Posted spam links in support requests", null],
];

/** INSERTs (ON CONFLICT DO NOTHING: a re-seed changes nothing) for the demo portal and its end users. */
export function endUsersSql({ now }) {
  const settings = insert("portal_settings", [
    {
      tenant_id: raw(TENANT),
      enabled: true,
      signup_policy: "open",
      brand_name: "Demo Co customer portal",
      logo_file_id: null,
      primary_color: "#0f766e",
      accent_color: "#f59e0b",
      custom_domain: null,
      handover_secret_enc: null,
      updated_at: now - 45 * DAY,
    },
  ]);
  const users = insert(
    "end_users",
    END_USERS.map(([id, email, name, source, created, seen, verified, blocked, external]) => ({
      tenant_id: raw(TENANT),
      id: `eu_demo_${id}`,
      email,
      name,
      password_hash: null,
      email_verified_at: verified ? now - created * DAY : null,
      blocked_at: blocked ? now - 7 * DAY : null,
      blocked_reason: blocked,
      external_id: external,
      source,
      invited_at: source === "invite" ? now - created * DAY : null,
      last_seen_at: seen === null ? null : now - seen * DAY - 3_600_000,
      created_at: now - created * DAY,
      updated_at: now - (seen ?? created) * DAY,
    })),
  );
  // One ended session per signed-in customer, so "last seen" has a sign-in behind it (no live tokens are seeded).
  const sessions = insert(
    "end_user_sessions",
    END_USERS.filter((u) => u[5] !== null).map(([id, , , source, , seen, , blocked]) => ({
      tenant_id: raw(TENANT),
      id: `eus_demo_${id}`,
      end_user_id: `eu_demo_${id}`,
      method: source === "handover" ? "handover" : source === "signup" ? "signup" : "code",
      ip: null,
      user_agent: "seed",
      created_at: now - seen * DAY - 3_600_000,
      last_used_at: now - seen * DAY - 3_600_000,
      expires_at: now - seen * DAY - 3_600_000 + 30 * DAY,
      revoked_at: blocked ? now - 7 * DAY : now - seen * DAY,
      revoked_reason: blocked ? "blocked" : "signout",
    })),
  );
  return `${settings}\n${users}\n${sessions}`;
}
