import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../../web/widget/markdown";
import { bestCanned } from "../replies";
import { FRAME_CSS, FRAME_JS, LOADER_JS } from "../widget-assets.gen";

describe("widget markdown", () => {
  it("renders the supported subset and escapes everything else", () => {
    expect(renderMarkdown("**bold** and *it* and `x<y`")).toBe("<p><strong>bold</strong> and <em>it</em> and <code>x&lt;y</code></p>");
    expect(renderMarkdown("- one\n- two")).toBe("<ul><li>one</li><li>two</li></ul>");
    expect(renderMarkdown("[docs](https://example.com/a?b=1&c=2)")).toBe(
      '<p><a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow">docs</a></p>',
    );
  });

  it("never emits markup from the message", () => {
    const evil = [
      "<img src=x onerror=alert(1)>",
      "<script>alert(1)</script>",
      "[click](javascript:alert(1))",
      '[x](https://a.example/" onmouseover="alert(1))',
      "```\n<svg onload=alert(1)>\n```",
    ];
    for (const e of evil) {
      const html = renderMarkdown(e);
      expect(html).not.toMatch(/<(img|script|svg)/i);
      expect(html).not.toMatch(/href="javascript:/i);
      expect(html).not.toMatch(/"\s*onmouseover=/i);
    }
  });
});

describe("local answerer matching", () => {
  const rows = [
    { shortcut: "shipping", body: "We ship worldwide within 3 days." },
    { shortcut: "returns", body: "Returns are free within 30 days." },
  ];
  it("picks the saved reply that shares the question's words (stems included)", () => {
    expect(bestCanned("How long does shipping take?", rows)?.shortcut).toBe("shipping");
    expect(bestCanned("can I return my order", rows)?.shortcut).toBe("returns");
    expect(bestCanned("do you sell zebras", rows)).toBeNull();
  });
});

describe("widget bundles", () => {
  it("are built and within budget-sized text (the bench reports gzip sizes)", () => {
    expect(LOADER_JS).toContain("/widget/frame?key=");
    expect(FRAME_JS).toContain("/public/v1/chat");
    expect(FRAME_CSS.length).toBeGreaterThan(100);
    expect(LOADER_JS.length).toBeLessThan(9000);
  });
});
