import { describe, expect, it } from "vitest";
import { transcriptMatch } from "../transcript-search";
import { asOwner, chatWorld, newConversation, newVisitor, type ChatWorld } from "./chat-helpers";

/** A conversation whose transcript has `lines` (posted by the agent: mirrored to D1 before the reply returns). */
async function conversationWith(w: ChatWorld, lines: string[], visitor: Record<string, unknown> = {}): Promise<string> {
  const conv = await newConversation(w, await newVisitor(w, visitor));
  for (const body of lines) expect((await asOwner(w, "POST", `/api/v1/chat/conversations/${conv}/messages`, { body })).status).toBe(201);
  return conv;
}

const search = async (w: ChatWorld, q: string, extra = "") => {
  const r = await asOwner(w, "GET", `/api/v1/chat/conversations?q=${encodeURIComponent(q)}${extra}`);
  if (r.status !== 200) throw new Error(`search ${q}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { data: { id: string }[]; next_cursor: string | null };
};
const ids = (page: { data: { id: string }[] }) => page.data.map((c) => c.id);

describe("chat transcript search (FTS5)", () => {
  it("matches words (stems and prefixes, every word in a line) and ranks the best match first", async () => {
    const w = await chatWorld({ ai: false });
    const many = await conversationWith(w, ["Your refund is on its way: refund approved, refund sent."]);
    const once = await conversationWith(w, ["Hello! I asked about a refund for the blue jacket I returned last month, order 5512."]);
    const other = await conversationWith(w, ["Shipping takes three business days."]);

    expect(ids(await search(w, "refund"))).toEqual([many, once]);
    expect(ids(await search(w, "refunded"))).toEqual([many, once]); // porter stem
    expect(ids(await search(w, "REFU"))).toEqual([many, once]); // word prefix, any case
    expect(ids(await search(w, "blue jacket"))).toEqual([once]); // every word
    expect(ids(await search(w, "refund shipping"))).toEqual([]); // no single line has both
    expect(ids(await search(w, "shipping"))).toEqual([other]);
    // FTS syntax in the box is inert text, never an error.
    expect(ids(await search(w, 'refund" OR body:* NEAR('))).toEqual([]);
    expect((await search(w, '"*"')).data).toEqual([]);
    // System lines ("… joined the conversation") are not indexed.
    expect(ids(await search(w, "joined"))).toEqual([]);
  });

  it("finds a visitor by name or email, and respects the inbox view", async () => {
    const w = await chatWorld({ ai: false });
    const named = await conversationWith(w, ["Hi"], { name: "Ottilie Quarnstrom", email: "ottilie@example.test" });
    await conversationWith(w, ["Ottilie from the other team will call"]);
    const both = await search(w, "ottilie");
    expect(both.data.length).toBe(2);
    expect(both.data[0]!.id).toBe(named); // a name/email match first
    expect(ids(await search(w, "ottilie@example"))).toEqual([named]);
    expect(ids(await search(w, "ottilie", "&view=closed"))).toEqual([]);
    expect((await search(w, "ottilie", "&view=assigned")).data.length).toBe(2);
  });

  it("pages through ranked results with an opaque cursor", async () => {
    const w = await chatWorld({ ai: false });
    const convs = [];
    for (let i = 0; i < 5; i++) convs.push(await conversationWith(w, [`Invoice question number ${i}`]));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await search(w, "invoice", `&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      seen.push(...ids(page));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...convs].sort());
    expect((await asOwner(w, "GET", "/api/v1/chat/conversations?q=invoice&cursor=not-a-cursor")).status).toBe(400);
  });

  it("never returns another workspace's conversations", async () => {
    const a = await chatWorld({ ai: false });
    const b = await chatWorld({ ai: false });
    const inA = await conversationWith(a, ["Pelican crate delivery to Lisbon"]);
    const inB = await conversationWith(b, ["Pelican crate delivery to Lisbon"], { name: "Pelican Lisbon" });
    expect(ids(await search(a, "pelican crate"))).toEqual([inA]);
    expect(ids(await search(b, "pelican crate"))).toEqual([inB]);
    expect(ids(await search(a, "Pelican Lisbon"))).toEqual([inA]);
  });

  it("builds a scoped, quoted MATCH expression", () => {
    expect(transcriptMatch("Where is my refund?", "ten_01ABC")).toBe('fts_scope:"ztten01abc" AND body:("refund"*)');
    expect(transcriptMatch("is it", "ten_x")).toBe('fts_scope:"zttenx" AND body:("is"* AND "it"*)');
    expect(transcriptMatch("  ?! ", "ten_x")).toBeNull();
  });
});
