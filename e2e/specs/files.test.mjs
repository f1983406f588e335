// The file manager in the browser (issue 13): two files dragged into the page upload side by side
// with a progress bar each; the PNG gets a thumbnail the Worker renders from a signed link; a signed
// link copied from the details pane opens in a fresh browser context (no session) and serves the
// exact bytes; a file moved to the trash with the Delete key (confirmed) is in the Trash view and
// comes back with Restore. Folders and the breadcrumb, the list view (remembered over a reload),
// search and the usage line on the way. axe on the grid, the details pane and the trash;
// screenshots in light, dark and at 390 px (e2e/artifacts/files-*.png).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { png } from "../../scripts/seed/files.mjs";
import { apiCall, axe, launch, loginUI, newContext, onFail, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

let browser;
let user;
before(async () => {
  browser = await launch();
  user = { email: uniqueEmail("files"), name: "Fia Lesage" };
  const r = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip: "127.8.13.1",
    body: { email: user.email, password: PASSWORD, name: user.name, workspace_name: "Kiln Files" },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
});
after(async () => browser?.close());

// A 320×200 gradient PNG and a ~3 MB text file (big enough for several upload-progress events).
const IMAGE = png(320, 200, (x, y) => [Math.round((x / 320) * 255), Math.round((y / 200) * 255), 180]);
const TEXT = Buffer.from("Kiln log: every firing, one line.\n".repeat(90_000));

/** Drops files on the file manager the way a desktop drag does (a DataTransfer with File objects). */
async function dropFiles(page, files) {
  const dt = await page.evaluateHandle(
    (list) => {
      const d = new DataTransfer();
      for (const f of list) d.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
      return d;
    },
    files.map((f) => ({ name: f.name, type: f.type, b64: f.bytes.toString("base64") })),
  );
  const zone = page.getByTestId("file-dropzone");
  await zone.dispatchEvent("dragenter", { dataTransfer: dt });
  await zone.dispatchEvent("dragover", { dataTransfer: dt });
  await zone.dispatchEvent("drop", { dataTransfer: dt });
}

test("files: drag two files in with progress, thumbnail, signed link in a fresh context, trash and restore", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await onFail(page, "files", async () => {
    await loginUI(page, { email: user.email });
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.getByRole("link", { name: "Files" }).first().click();
    await page.getByRole("heading", { name: "Files", level: 1 }).waitFor();
    await page.getByText("No files yet").waitFor();
    await page.getByTestId("files-usage").waitFor();

    // A folder, opened: the breadcrumb shows where we are.
    await page.getByRole("button", { name: "New folder" }).click();
    await page.getByRole("dialog").getByLabel("Folder name").fill("Kiln logs");
    await page.getByRole("dialog").getByRole("button", { name: "Create folder" }).click();
    await page.getByRole("button", { name: "Folder Kiln logs" }).click();
    await page.getByRole("navigation", { name: "Breadcrumb" }).getByText("Kiln logs").waitFor();
    await page.getByText("This folder is empty").waitFor();
    await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "All files" }).click();

    // Record every progress value the bars show, then drop both files at once.
    await page.evaluate(() => {
      window.__progress = {};
      new MutationObserver(() => {
        for (const bar of document.querySelectorAll('[role="progressbar"][aria-label^="Upload of"]')) {
          const name = bar.getAttribute("aria-label").slice("Upload of ".length);
          if (!window.__progress[name]) window.__progress[name] = new Set();
          window.__progress[name].add(Number(bar.getAttribute("aria-valuenow")));
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-valuenow"] });
    });
    // Loopback sends 3 MB in one go; a 1.5 MB/s uplink (Chromium's throttling) makes the progress visible.
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 1_500_000,
    });
    await dropFiles(page, [
      { name: "glaze-test.png", type: "image/png", bytes: IMAGE },
      { name: "firing-log.txt", type: "text/plain", bytes: TEXT },
    ]);
    const uploads = page.getByRole("region", { name: "Uploads" });
    await uploads.getByRole("progressbar", { name: "Upload of glaze-test.png" }).waitFor();
    await uploads.getByRole("progressbar", { name: "Upload of firing-log.txt" }).waitFor();
    await uploads.getByRole("heading", { name: "Uploads finished" }).waitFor({ timeout: 60_000 });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const progress = await page.evaluate(() => Object.fromEntries(Object.entries(window.__progress).map(([k, v]) => [k, [...v]])));
    for (const name of ["glaze-test.png", "firing-log.txt"]) {
      assert.ok(progress[name]?.includes(100), `${name} reached 100%: ${JSON.stringify(progress)}`);
    }
    assert.ok(
      progress["firing-log.txt"].some((v) => v > 0 && v < 100),
      `the 3 MB upload showed progress on the way: ${JSON.stringify(progress)}`,
    );
    assert.equal(await uploads.getByText("Failed").count(), 0);

    // The image's tile shows a thumbnail the Worker rendered (a real, decoded image).
    const tile = page.getByRole("button", { name: /^glaze-test\.png/ });
    const thumb = tile.getByTestId("file-thumbnail");
    await thumb.waitFor();
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await thumb.elementHandle());
    assert.match(await thumb.getAttribute("src"), /\/f\/fil_[^?]+\?.*sig=.*&w=/);
    for (const v of await axe(page)) assert.fail(`grid: ${v}`);
    await screenshot(page, "files-grid-light");

    // Details: SHA-256 of the exact bytes, then a signed link.
    await tile.click();
    const details = page.getByTestId("file-details");
    await details.getByRole("heading", { name: "glaze-test.png" }).waitFor();
    const { createHash } = await import("node:crypto");
    assert.equal(await details.getByTestId("file-sha256").textContent(), createHash("sha256").update(IMAGE).digest("hex"));
    await details.getByLabel("Link expires after").selectOption({ label: "Expires in 1 hour" });
    await details.getByRole("button", { name: "Copy signed link" }).click();
    const url = await details.getByLabel("Signed link", { exact: true }).inputValue();
    assert.match(url, /^https?:\/\/[^/]+\/f\/fil_\w+\?exp=\d+&disp=inline&sig=/);
    for (const v of await axe(page)) assert.fail(`details: ${v}`);
    await screenshot(page, "files-details-light");

    // The link in a fresh context: no session, no cookies — the exact bytes.
    const stranger = await newContext(browser);
    const res = await stranger.request.get(url);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()["content-type"], "image/png");
    assert.ok(Buffer.from(await res.body()).equals(IMAGE), "the signed link serves the uploaded bytes");
    const view = await stranger.newPage();
    const nav = await view.goto(url);
    assert.equal(nav?.status(), 200);
    await stranger.close();

    // The preview dialog shows the image.
    await details.getByRole("button", { name: "Preview", exact: true }).click();
    const previewImg = page.getByRole("dialog", { name: "glaze-test.png" }).getByTestId("preview-image");
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await previewImg.elementHandle());
    await page.getByRole("dialog", { name: "glaze-test.png" }).getByRole("button", { name: "Close" }).click();

    // Search by name finds the text file; the list view is remembered across a reload.
    await page.getByLabel("Search by name").fill("firing");
    await page.getByText("1 matching file in all folders").waitFor();
    await page.getByLabel("Search by name").fill("");
    await page.getByRole("button", { name: "List", exact: true }).click();
    await page.reload();
    await page.getByRole("table", { name: "Folders and files" }).waitFor();
    assert.equal(await page.getByRole("button", { name: "List", exact: true }).getAttribute("aria-pressed"), "true");
    await screenshot(page, "files-list-light");

    // Delete key on the focused file → confirmation → trash.
    const row = page.getByRole("button", { name: "firing-log.txt" });
    await row.focus();
    await page.keyboard.press("Delete");
    const confirm = page.getByRole("dialog", { name: "Move this file to the trash?" });
    await confirm.getByRole("button", { name: "Move to trash" }).click();
    await confirm.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "firing-log.txt" }).waitFor({ state: "detached" });

    // Trash view: the file is there; Restore brings it back.
    await page.getByRole("link", { name: "Trash" }).click();
    await page.getByRole("heading", { name: "Trash", level: 1 }).waitFor();
    await page.getByRole("button", { name: "firing-log.txt" }).click();
    for (const v of await axe(page)) assert.fail(`trash: ${v}`);
    await screenshot(page, "files-trash-light");
    await page.getByTestId("file-details").getByRole("button", { name: "Restore" }).click();
    await page.getByText("The trash is empty").waitFor();
    await page.getByRole("link", { name: "All files" }).click();
    await page.getByRole("button", { name: "firing-log.txt" }).waitFor();

    // Keyboard selection: Space selects the focused file, Ctrl+A every file shown; the bulk bar counts them.
    await page.getByRole("button", { name: "firing-log.txt" }).focus();
    await page.keyboard.press("Space");
    const selection = page.getByRole("region", { name: "Selection" });
    await selection.getByText("1 selected").waitFor();
    await page.keyboard.press("Control+a");
    await selection.getByText("2 selected").waitFor();
    await selection.getByRole("button", { name: "Clear selection" }).click();
    await selection.waitFor({ state: "detached" });

    // Bulk: the text file to the trash, then deleted for good from there (both confirmed); its bytes stop counting.
    await page.getByRole("checkbox", { name: "Select firing-log.txt" }).check();
    await selection.getByRole("button", { name: "Move to trash" }).click();
    await page.getByRole("dialog", { name: "Move this file to the trash?" }).getByRole("button", { name: "Move to trash" }).click();
    await page.getByRole("button", { name: "firing-log.txt" }).waitFor({ state: "detached" });
    await page.getByRole("link", { name: "Trash" }).click();
    await page.getByRole("checkbox", { name: "Select firing-log.txt" }).check();
    await selection.getByRole("button", { name: "Delete forever" }).click();
    await page.getByRole("dialog", { name: "Delete this file forever?" }).getByRole("button", { name: "Delete forever" }).click();
    await page.getByText("The trash is empty").waitFor();
    await page.getByRole("link", { name: "All files" }).click();
    await page.getByTestId("files-usage").getByText("1 file", { exact: false }).waitFor();

    // Upload rules: only images and PDFs from now on, checked against the bytes (a text file is refused).
    await page.getByRole("button", { name: "Upload rules" }).click();
    const rules = page.getByRole("dialog", { name: "Upload rules" });
    await rules.getByLabel("Allowed types").fill("image/*\napplication/pdf");
    await rules.getByLabel("Largest file (MB)").fill("20");
    await rules.getByRole("button", { name: "Save rules" }).click();
    await rules.waitFor({ state: "detached" });
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("plain text, not a picture") });
    await page
      .getByRole("region", { name: "Uploads" })
      .getByText(/text\/plain are not accepted here/)
      .waitFor();

    // The command palette finds files by name and opens their details.
    await page.keyboard.press("Control+k");
    const palette = page.getByRole("dialog", { name: "Command palette" });
    await palette.getByRole("combobox").fill("glaze");
    await palette
      .getByRole("group", { name: "Files" })
      .getByRole("option", { name: /glaze-test\.png/ })
      .click();
    await page.waitForURL((u) => u.pathname === "/files" && u.searchParams.has("file"));
    await page.getByTestId("file-details").getByRole("heading", { name: "glaze-test.png" }).waitFor();

    // Dark theme and a phone.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.getByRole("button", { name: "Grid", exact: true }).click();
    await page
      .getByRole("button", { name: /^glaze-test\.png/ })
      .getByTestId("file-thumbnail")
      .waitFor();
    await screenshot(page, "files-grid-dark");
    await page.emulateMedia({ colorScheme: "light" });
    await page.getByRole("button", { name: "Close details" }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: /^glaze-test\.png/ }).click();
    await page.getByRole("dialog", { name: "glaze-test.png" }).getByRole("button", { name: "Copy signed link" }).waitFor();
    await screenshot(page, "files-details-phone");
    await page.keyboard.press("Escape");
    await screenshot(page, "files-grid-phone");
  });
  await ctx.close();
});
