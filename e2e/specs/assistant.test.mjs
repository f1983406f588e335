// The assistant (issue 18), offline through the local answerer: a new owner opens the side panel with
// Ctrl-J and asks how many members the workspace has (the answer streams in, with the tool line, a
// citation and the "Local answerer" label); asks again in Spanish from the panel's language menu; then
// types "invite ana+… as admin" into Ctrl-K and picks "Ask: …", sees the proposal card, and nothing is
// invited until Confirm — after it the invitation exists (API) and the Team page lists it. axe on the
// open panel (light, dark, 390 px phone sheet); screenshots e2e/artifacts/assistant-*.png.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { apiCall, axe, launch, liveTheme, loginUI, newContext, onFail, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

let browser;
const IP = "127.8.93.1";
const owner = { name: "Aria Assist", email: uniqueEmail("asst-owner") };
const ana = `ana+${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
const staff = (path) => apiCall(path, { token: owner.token, tenant: owner.tenant, ip: IP });

before(async () => {
  browser = await launch();
  const r = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip: IP,
    body: { email: owner.email, password: PASSWORD, name: owner.name, workspace_name: "Assist Co" },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  Object.assign(owner, { token: r.body.access_token, tenant: r.body.tenant.id });
});
after(async () => browser?.close());

async function a11y(page, what) {
  for (const v of await axe(page)) assert.fail(`${what}: ${v}`);
}

test("the owner asks the assistant, in two languages, and confirms the invitation it proposes from Ctrl-K", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await onFail(page, "assistant", async () => {
    await loginUI(page, { email: owner.email });
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto("/team");
    await page.getByRole("cell", { name: new RegExp(`^${owner.name} \\(you\\)`) }).waitFor();

    // Ctrl-J opens the docked panel with the message field focused.
    await page.keyboard.press("Control+j");
    await page.getByRole("dialog", { name: "Assistant" }).waitFor();
    const panel = page.locator("#assistant-panel");
    const field = panel.getByRole("textbox", { name: "Message the assistant" });
    await page.waitForFunction(() => document.activeElement?.id === "assistant-input");
    await field.fill("How many members are in this workspace?");
    await page.keyboard.press("Enter");
    await panel.getByText("The workspace has 1 member.", { exact: true }).waitFor();
    await panel.getByText("Looked up members · 1 record(s)", { exact: true }).waitFor();
    await panel.getByText("Local answerer", { exact: true }).waitFor();
    // The polite live region carries the finished answer once (not the tokens as they stream).
    await panel
      .getByRole("status")
      .filter({ hasText: /^Assistant: The workspace has 1 member\.$/ })
      .waitFor({ state: "attached" });
    const cite = panel.getByRole("link", { name: owner.name, exact: true });
    assert.equal(await cite.getAttribute("href"), "/team", "the citation links to the member's page");

    await a11y(page, "panel (light)");
    await screenshot(page, "assistant-answer-light");
    await liveTheme(page, "dark");
    await a11y(page, "panel (dark)");
    await screenshot(page, "assistant-answer-dark");
    await liveTheme(page, "light");

    // The panel speaks Spanish when asked to: its strings, and the answer (the locale goes with the message).
    await panel.getByRole("combobox", { name: "Language" }).selectOption("es");
    await page.getByRole("dialog", { name: "Asistente" }).waitFor();
    await panel.getByRole("textbox", { name: "Escribe al asistente" }).fill("¿Cuántos miembros hay en este espacio de trabajo?");
    await page.keyboard.press("Enter");
    await panel.getByText("El espacio de trabajo tiene 1 miembro.", { exact: true }).waitFor();
    await panel.getByRole("combobox", { name: "Idioma" }).selectOption("en");

    // Ctrl-K: whatever is typed is offered as a question for the assistant.
    await page.keyboard.press("Control+k");
    await page.getByRole("combobox", { name: "Search pages, records and actions" }).fill(`invite ${ana} as admin`);
    await page.getByRole("option", { name: /^Ask: invite/ }).click();
    const card = panel.getByRole("region", { name: "Proposed change" });
    await card.waitFor();
    await card.getByText(`Invite ${ana} as admin`, { exact: true }).waitFor();
    // A proposal changes nothing until it is confirmed.
    const pending = await staff("/api/v1/invitations");
    assert.equal(pending.status, 200, JSON.stringify(pending.body));
    assert.ok(!pending.body.data.some((i) => i.email === ana), "no invitation before Confirm");
    await card.getByText("Request details").click();
    await card.getByText("POST /api/v1/invitations").waitFor();
    await screenshot(page, "assistant-proposal-light");
    await card.getByRole("button", { name: "Confirm" }).click();
    await card.getByText("Done", { exact: true }).waitFor();
    const invited = (await staff("/api/v1/invitations")).body.data.find((i) => i.email === ana);
    assert.equal(invited?.role, "admin", "the invitation exists with the proposed role");

    // History lists both conversations, newest first.
    await panel.getByRole("button", { name: "Conversation history" }).click();
    const history = panel.getByRole("list", { name: "Conversation history" });
    await history.getByRole("button", { name: new RegExp(`^invite ${ana.replace(/[+.]/g, "\\$&")}`) }).waitFor();
    assert.equal(await history.getByRole("listitem").count(), 2);

    // Phone width: a modal sheet over the page; Escape closes it and focus goes back to the toggle.
    await page.setViewportSize({ width: 390, height: 844 });
    await panel.getByRole("button", { name: "Back to the conversation" }).click();
    await a11y(page, "panel (phone)");
    await screenshot(page, "assistant-phone-light");
    await page.keyboard.press("Escape");
    await panel.waitFor({ state: "hidden" });
    assert.equal(await page.evaluate(() => document.activeElement?.id), "assistant-toggle");
    await screenshot(page, "assistant-phone-closed-light");

    // The Team page lists the invitation the assistant made.
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.reload();
    await page.getByRole("tab", { name: "Invitations" }).click();
    await page.getByRole("cell", { name: ana, exact: true }).waitFor();
  });
  await ctx.close();
});
