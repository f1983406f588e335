// Knowledge base + AI settings in the browser: add an FAQ entry, upload a Markdown file (drag-and-
// drop input, progress, queue indexing to "ready"), search with per-leg scores, ask with a streamed,
// cited answer from the local answerer, open a citation; AI settings with usage. axe in light and
// dark; screenshots of each page in e2e/artifacts/knowledge-*.png and ai-settings-*.png.
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { apiCall, axe, launch, loginUI, newContext, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

let browser;
let user;
before(async () => {
  browser = await launch();
  user = { email: uniqueEmail("kb"), name: "Kim Base" };
  const r = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip: "127.8.0.1",
    body: { email: user.email, password: PASSWORD, name: user.name, workspace_name: "Blender Co" },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
});
after(async () => browser?.close());

const HANDBOOK = `# Blender Co handbook

## Warranty

Every blender carries a three year warranty covering the motor and the jar.

## Shipping

Orders leave our warehouse within two business days. International parcels take seven to ten days.
`;

async function themes(page, name, prepare) {
  const problems = [];
  for (const theme of ["light", "dark"]) {
    await page.evaluate((t) => localStorage.setItem("weft.theme", t), theme);
    await page.reload();
    await prepare();
    for (const v of await axe(page)) problems.push(`${name} (${theme}): ${v}`);
    await screenshot(page, `${name}-${theme}`);
  }
  return problems;
}

test("knowledge: FAQ, upload with progress, search scores, cited answer; AI settings", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await loginUI(page, { email: user.email });
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.goto("/knowledge");
  await page.getByRole("heading", { name: "Knowledge", level: 1 }).waitFor();
  await page.getByText("No knowledge yet").waitFor();
  await page.getByText("Local mode").waitFor();
  await screenshot(page, "knowledge-empty-light");

  // FAQ entry through the dialog.
  await page.getByRole("button", { name: "New FAQ entry" }).click();
  await page.getByLabel("Question").fill("Do you repair blenders?");
  await page.getByLabel("Answer").fill("Yes, our workshop repairs any blender model for a flat fee of 25 euros.");
  await page.getByRole("button", { name: "Add entry" }).click();
  await page.getByRole("cell", { name: /Do you repair blenders\? FAQ/ }).waitFor();

  // Upload (the drop zone's file input) and watch it index.
  const dir = mkdtempSync(join(tmpdir(), "kb-e2e-"));
  const file = join(dir, "handbook.md");
  writeFileSync(file, HANDBOOK);
  await page.getByLabel("Upload files").setInputFiles(file);
  await page
    .getByRole("cell", { name: /^handbook\.md/ })
    .first()
    .waitFor();
  await page.locator("tr", { hasText: "handbook.md" }).getByText("ready").waitFor({ timeout: 30_000 });
  await page.locator("tr", { hasText: "Do you repair" }).getByText("ready").waitFor({ timeout: 30_000 });
  const problems = await themes(page, "knowledge-sources", async () => {
    await page.locator("tr", { hasText: "handbook.md" }).getByText("ready").waitFor();
  });

  // Search playground with per-leg scores.
  const search = async () => {
    await page.getByRole("tab", { name: "Search playground" }).click();
    await page.getByLabel("Query").fill("how long is the warranty on a blender");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page
      .getByText(/three year warranty/)
      .first()
      .waitFor();
  };
  await search();
  const scores = await page.getByLabel("Scores").first().innerText();
  assert.match(scores, /fts \d/);
  assert.match(scores, /vector \d/);
  assert.match(scores, /fused \d/);
  problems.push(...(await themes(page, "knowledge-search", search)));

  // Ask: streamed, cited, clearly local.
  const askIt = async () => {
    await page.getByRole("tab", { name: "Ask" }).click();
    await page.getByRole("textbox", { name: "Question" }).fill("How long do international parcels take?");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    await page.getByText("Local extractive answerer — no AI model").waitFor();
  };
  await askIt();
  const answer = await page.getByTestId("answer").innerText();
  assert.match(answer, /seven to ten days/);
  assert.match(answer, /\[1\]/);
  await page.getByRole("button", { name: /\[1\] handbook\.md/ }).click();
  await page.getByRole("dialog").getByText("International parcels take seven to ten days.").waitFor();
  await screenshot(page, "knowledge-citation-light");
  await page.getByRole("button", { name: "Close" }).last().click();
  problems.push(...(await themes(page, "knowledge-ask", askIt)));

  // Unrelated question: I don't know.
  await page.getByRole("textbox", { name: "Question" }).fill("What is the capital of Mongolia?");
  await page.getByRole("button", { name: "Ask", exact: true }).click();
  await page
    .getByTestId("answer")
    .getByText(/I don't know/)
    .waitFor();

  // AI settings page: providers, keys, usage chart, call log.
  await page.goto("/ai");
  await page.getByRole("heading", { name: "AI settings", level: 1 }).waitFor();
  await page.getByText("Local extractive answerer: built in (local)").waitFor();
  problems.push(
    ...(await themes(page, "ai-settings", async () => {
      await page.getByRole("heading", { name: "AI settings", level: 1 }).waitFor();
      await page.getByRole("img", { name: /Tokens per day/ }).waitFor();
    })),
  );
  assert.deepEqual(problems, []);
  await ctx.close();
});
