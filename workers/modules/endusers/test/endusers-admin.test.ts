import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { endUserCodes, endUserSessions, endUsers } from "../../../../schema/endusers";
import { getDb } from "../../../platform/db";
import { registerCustomerSource, registerEndUserEraser, unregisterEndUserHooks } from "../../../platform/end-user-hooks";
import { exports } from "cloudflare:workers";
import { call, callJson, freshIp, uniqueEmail } from "../../../../test/helpers";
import { teammate } from "../../releases/test/releases-helpers";
import { as, env, eu, euByCode, euSignUp, PASSWORD, portal, signInMail } from "./endusers-helpers";

const db = () => getDb(env.DB);
const audit = (tenantId: string, action: string) =>
  db()
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.tenantId, tenantId), eq(auditLogs.action, action)));

afterEach(() => unregisterEndUserHooks("test-module"));

describe("end users, the workspace's side", () => {
  it("lists newest first with search and cursor pages", async () => {
    const p = await portal();
    const made = [];
    for (const name of ["Alice Apple", "Bob Banana", "Cara Cherry"])
      made.push(await euSignUp(p, uniqueEmail(name.split(" ")[0]?.toLowerCase()), name));
    const page1 = await as(p.owner)("GET", "/api/v1/end-users?limit=2");
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((u: { id: string }) => u.id)).toEqual([made[2]?.id, made[1]?.id]);
    const page2 = await as(p.owner)("GET", `/api/v1/end-users?limit=2&cursor=${page1.body.next_cursor}`);
    expect(page2.body.data.map((u: { id: string }) => u.id)).toEqual([made[0]?.id]);
    expect(page2.body.next_cursor).toBeNull();
    const found = await as(p.owner)("GET", "/api/v1/end-users?q=banana");
    expect(found.body.data.map((u: { name: string }) => u.name)).toEqual(["Bob Banana"]);
    const pct = await as(p.owner)("GET", "/api/v1/end-users?q=%25");
    expect(pct.body.data).toEqual([]); // % is literal, not a wildcard
    const one = await as(p.owner)("GET", `/api/v1/end-users/${made[0]?.id}`);
    expect(one.body).toMatchObject({ name: "Alice Apple", blocked: false, source: "signup", has_password: true, email_verified: false });
  });

  it("blocks (sessions end, 403 everywhere) and unblocks, with audit rows; viewers read but cannot block", async () => {
    const p = await portal();
    const u = await euSignUp(p);
    const viewer = await teammate(p.owner, "viewer");
    expect((await as(viewer)("GET", "/api/v1/end-users")).status).toBe(200);
    expect((await as(viewer)("POST", `/api/v1/end-users/${u.id}/block`)).status).toBe(403);
    const b = await as(p.owner)("POST", `/api/v1/end-users/${u.id}/block`, { reason: "chargebacks" });
    expect(b.body).toMatchObject({ blocked: true, blocked_reason: "chargebacks" });
    expect((await eu(p, u.accessToken)("GET", "/me")).status).toBe(403);
    const sessions = await db().select().from(endUserSessions).where(eq(endUserSessions.endUserId, u.id));
    expect(sessions.every((s) => s.revokedAt !== null)).toBe(true);
    expect((await as(p.owner)("GET", "/api/v1/end-users?blocked=true")).body.data.map((x: { id: string }) => x.id)).toEqual([u.id]);
    expect((await as(p.owner)("POST", `/api/v1/end-users/${u.id}/unblock`)).body.blocked).toBe(false);
    expect((await audit(p.owner.tenantId, "endusers.blocked")).length).toBe(1);
    expect((await audit(p.owner.tenantId, "endusers.unblocked")).length).toBe(1);
  });

  it("erases an end user with their data in every registered module, keeping only a hashed audit row", async () => {
    const p = await portal();
    const u = await euByCode(p);
    const seen: string[] = [];
    registerEndUserEraser("test-module", async (_env, ref) => {
      seen.push(`${ref.tenantId}:${ref.endUserId}:${ref.email}`);
      return 3;
    });
    const r = await as(p.owner)("DELETE", `/api/v1/end-users/${u.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ erased: true, modules: { "test-module": 3, commerce: 0 } });
    expect(seen).toEqual([`${p.owner.tenantId}:${u.id}:${u.email}`]);
    expect(await db().select().from(endUsers).where(eq(endUsers.id, u.id)).get()).toBeUndefined();
    expect(await db().select().from(endUserSessions).where(eq(endUserSessions.endUserId, u.id))).toEqual([]);
    expect(
      await db()
        .select()
        .from(endUserCodes)
        .where(and(eq(endUserCodes.tenantId, p.owner.tenantId), eq(endUserCodes.email, u.email))),
    ).toEqual([]);
    const [row] = await audit(p.owner.tenantId, "endusers.erased");
    expect(JSON.stringify(row)).not.toContain(u.email);
    expect((await eu(p, u.accessToken)("GET", "/me")).status).toBe(401);
    expect((await as(p.owner)("GET", `/api/v1/end-users/${u.id}`)).status).toBe(404);
  });

  it("keeps the account when a module's eraser fails, so the erase can be repeated", async () => {
    const p = await portal();
    const u = await euSignUp(p);
    let fail = true;
    registerEndUserEraser("test-module", async () => {
      if (fail) throw new Error("provider down");
      return 1;
    });
    const failed = await as(p.owner)("DELETE", `/api/v1/end-users/${u.id}`);
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ type: expect.stringContaining("erase-incomplete"), module: "test-module" });
    expect((await as(p.owner)("GET", `/api/v1/end-users/${u.id}`)).status).toBe(200);
    fail = false;
    expect((await as(p.owner)("DELETE", `/api/v1/end-users/${u.id}`)).status).toBe(200);
  });

  it("existing-customers-only asks the registered customer sources", async () => {
    const p = await portal({ signup_policy: "customers" });
    const buyer = uniqueEmail("buyer");
    registerCustomerSource("test-module", async (_env, tenantId, email) => tenantId === p.owner.tenantId && email === buyer);
    expect((await eu(p)("POST", "/auth/signup", { email: buyer, password: PASSWORD })).status).toBe(201);
    expect((await eu(p)("POST", "/auth/signup", { email: uniqueEmail("browser"), password: PASSWORD })).status).toBe(403);
  });

  it("validates portal settings (colours, logo file of this workspace, domain) with the failing fields", async () => {
    const p = await portal();
    const bad = await as(p.owner)("PUT", "/api/v1/end-users/portal-settings", {
      primary_color: "red",
      custom_domain: "not a domain",
      signup_policy: "anyone",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["custom_domain", "primary_color", "signup_policy"]);
    const noFile = await as(p.owner)("PUT", "/api/v1/end-users/portal-settings", { logo_file_id: "fil_nope" });
    expect(noFile.status).toBe(400);
    expect(noFile.body.errors[0].path).toBe("logo_file_id");
    const ok = await as(p.owner)("PUT", "/api/v1/end-users/portal-settings", {
      brand_name: "Acme Care",
      primary_color: "#0f766e",
      custom_domain: "Account.Acme.example",
    });
    expect(ok.body).toMatchObject({
      brand_name: "Acme Care",
      primary_color: "#0f766e",
      custom_domain: "account.acme.example",
      enabled: true,
    });
    expect(ok.body.portal_url).toMatch(new RegExp(`/portal/${p.slug}$`));
    const info = await eu(p)("GET", "");
    expect(info.body).toMatchObject({ name: "Acme Care", primary_color: "#0f766e", signup_policy: "open", handover: false });
    expect((await audit(p.owner.tenantId, "endusers.portal_settings_updated")).length).toBeGreaterThanOrEqual(2);
  });

  it("addresses a portal by publishable key from an allowed Origin only", async () => {
    const p = await portal();
    const pk = await as(p.owner)("POST", "/api/v1/publishable-keys", { name: "site", allowed_origins: ["https://shop.example"] });
    const key = pk.body.key as string;
    const ok = await callJson(`/public/v1/portal/${key}/auth/signup`, {
      body: { email: uniqueEmail("site"), password: PASSWORD },
      headers: { Origin: "https://shop.example" },
    });
    expect(ok.status).toBe(201);
    expect(ok.res.headers.get("Access-Control-Allow-Origin")).toBe("https://shop.example");
    const me = await callJson(`/public/v1/portal/${key}/me`, { token: ok.body.access_token, headers: { Origin: "https://shop.example" } });
    expect(me.status).toBe(200);
    const evil = await callJson(`/public/v1/portal/${key}/me`, {
      token: ok.body.access_token,
      headers: { Origin: "https://evil.example" },
    });
    expect(evil.status).toBe(401);
    // The same token works on the slug address (one workspace, one audience).
    expect((await eu(p, ok.body.access_token)("GET", "/me")).status).toBe(200);
  });
});

describe("the hosted portal pages", () => {
  async function fetchForm(path: string, fields: Record<string, string>, headers: Record<string, string>) {
    return exports.default.fetch(`http://weft.test${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": freshIp(), ...headers },
      body: new URLSearchParams(fields).toString(),
      redirect: "manual",
    });
  }
  const cookiesOf = (res: Response) =>
    res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");

  it("renders the branded sign-in page, signs in with a password into cookies, shows the account and signs out", async () => {
    const p = await portal({ brand_name: "Pages <Shop>", primary_color: "#0f766e" });
    const u = await euSignUp(p);
    const page = await call(`/portal/${p.slug}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("Pages &lt;Shop&gt;");
    expect(html).toContain("--brand:#0f766e");
    expect(html).toContain('<label for="email">Email</label>');
    expect(page.headers.get("Content-Security-Policy")).toContain("default-src 'none'");

    const wrong = await fetchForm(`/portal/${p.slug}/signin`, { email: u.email, password: "nope nope nope" }, {});
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('role="alert"');

    const ok = await fetchForm(`/portal/${p.slug}/signin`, { email: u.email, password: PASSWORD }, {});
    expect(ok.status).toBe(303);
    const setCookies = ok.headers.getSetCookie();
    // Path / with a per-workspace name: the community pages (/community/<slug>) share the session.
    expect(setCookies.some((c) => c.startsWith(`weft_eu_at_${p.slug}=`) && /HttpOnly/i.test(c) && /Path=\/(;|$)/.test(c))).toBe(true);
    const account = await call(`/portal/${p.slug}/account`, { headers: { Cookie: cookiesOf(ok) } });
    expect(await account.text()).toContain(u.email);

    const cross = await fetchForm(`/portal/${p.slug}/signout`, {}, { Cookie: cookiesOf(ok), Origin: "https://evil.example" });
    expect(cross.status).toBe(403);
    const out = await fetchForm(`/portal/${p.slug}/signout`, {}, { Cookie: cookiesOf(ok) });
    expect(out.status).toBe(303);
    expect((await eu(p)("POST", "/auth/refresh", { refresh_token: u.refreshToken })).status).toBe(200); // another session
    const after = await call(`/portal/${p.slug}`, { headers: { Cookie: cookiesOf(ok) } });
    expect(await after.text()).toContain("Email me a sign-in code");
  });

  it("signs in by emailed code through the forms, and a magic link only on the button press", async () => {
    const p = await portal();
    const email = uniqueEmail("pages");
    const req = await fetchForm(`/portal/${p.slug}/code`, { email }, {});
    expect(req.status).toBe(303);
    expect(req.headers.get("Location")).toBe(`/portal/${p.slug}/code?email=${encodeURIComponent(email)}`);
    const { code, token } = await signInMail(email);
    // GET of the link (a mail scanner) does not spend it.
    const landing = await call(`/portal/${p.slug}/magic?token=${token}`);
    expect(await landing.text()).toContain('name="token"');
    const viaCode = await fetchForm(`/portal/${p.slug}/code/verify`, { email, code }, {});
    expect(viaCode.status).toBe(303);
    expect(cookiesOf(viaCode)).toContain(`weft_eu_at_${p.slug}=`);
    // The code and the link are one proof: using one spends the other.
    const viaLink = await fetchForm(`/portal/${p.slug}/magic`, { token: token ?? "" }, {});
    expect(viaLink.status).toBe(400);
  });

  it("speaks the visitor's language on the sign-in pages: Accept-Language, then ?lang= remembered in a cookie", async () => {
    const p = await portal();
    const get = (path: string, headers: Record<string, string> = {}) =>
      exports.default.fetch(`http://weft.test${path}`, { headers: { "CF-Connecting-IP": freshIp(), ...headers } });
    const es = await get(`/portal/${p.slug}`, { "Accept-Language": "es-ES,es;q=0.9,en;q=0.5" });
    const esHtml = await es.text();
    expect(esHtml).toContain('<html lang="es">');
    expect(esHtml).toContain("<h1>Iniciar sesión</h1>");
    expect(esHtml).toContain('<label for="email">Correo electrónico</label>');
    expect(esHtml).toContain('hreflang="de"'); // the language links

    const de = await get(`/portal/${p.slug}?lang=de`, { "Accept-Language": "es" });
    expect(await de.text()).toContain("<h1>Anmelden</h1>");
    const remembered = de.headers.getSetCookie().find((c) => c.startsWith("weft_eu_lang=de"));
    expect(remembered).toBeDefined();
    // The remembered choice beats the browser's language on the next page.
    const signup = await get(`/portal/${p.slug}/signup`, { "Accept-Language": "fr", Cookie: "weft_eu_lang=de" });
    expect(await signup.text()).toContain("<h1>Konto erstellen</h1>");

    // Form errors come back in the language too; an unknown language falls back to English.
    const bad = await fetchForm(`/portal/${p.slug}/code`, { email: "not-an-email" }, { "Accept-Language": "fr" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Saisissez une adresse e-mail valide.");
    const xx = await get(`/portal/${p.slug}?lang=xx`, { "Accept-Language": "ja" });
    expect(await xx.text()).toContain("<h1>Sign in</h1>");
  });

  it("404s an unknown or switched-off portal", async () => {
    expect((await call("/portal/no-such-workspace-here")).status).toBe(404);
    const p = await portal({ enabled: false });
    expect((await call(`/portal/${p.slug}`)).status).toBe(404);
  });
});
