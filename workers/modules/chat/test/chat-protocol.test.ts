import { describe, expect, it } from "vitest";
import { clientEventSchema, MAX_MESSAGE_CHARS, parseClientEvent } from "../protocol";

// parseClientEvent builds the common chat message itself instead of running zod: it must accept
// exactly what clientEventSchema accepts, output the same event, and leave every refusal to zod.
const astral = "😀"; // one code point, two UTF-16 units
const cases: unknown[] = [
  { type: "message", client_id: "c1", body: "hello" },
  { type: "message", client_id: "c1", body: "  padded\n\t", extra: "dropped" },
  { type: "message", client_id: "c1", body: "   " },
  { type: "message", client_id: "c1", body: "" },
  { type: "message", client_id: "", body: "x" },
  { type: "message", client_id: "x".repeat(64), body: "x" },
  { type: "message", client_id: "x".repeat(65), body: "x" },
  { type: "message", client_id: astral.repeat(64), body: "x" }, // 128 units, 64 code points: zod accepts
  { type: "message", client_id: astral.repeat(65), body: "x" },
  { type: "message", client_id: "c1", body: "x".repeat(MAX_MESSAGE_CHARS) },
  { type: "message", client_id: "c1", body: `  ${"x".repeat(MAX_MESSAGE_CHARS)}  ` },
  { type: "message", client_id: "c1", body: "x".repeat(MAX_MESSAGE_CHARS + 1) },
  { type: "message", client_id: "c1", body: astral.repeat(MAX_MESSAGE_CHARS) },
  { type: "message", client_id: "c1", body: astral.repeat(MAX_MESSAGE_CHARS + 1) },
  { type: "message", client_id: "c1", body: "\u00a0\ufeffhi\u2028" },
  { type: "message", client_id: 7, body: "x" },
  { type: "message", client_id: "c1", body: 7 },
  { type: "message", client_id: "c1" },
  { type: "message", body: "x" },
  { type: "Message", client_id: "c1", body: "x" },
  { type: "typing", on: true },
  { type: "typing", on: "yes" },
  { type: "csat", rating: 5, comment: "great" },
  { type: "csat", rating: 6 },
  { type: "handoff" },
  { type: "close" },
  { type: "ping" },
  { type: "nope" },
  ["message"],
  null,
  "message",
  42,
];

describe("chat protocol: client events", () => {
  it("parseClientEvent accepts, outputs and refuses exactly like clientEventSchema", () => {
    for (const input of cases) {
      const fast = parseClientEvent(input);
      const zod = clientEventSchema.safeParse(input);
      const label = JSON.stringify(input)?.slice(0, 80);
      expect(fast.success, label).toBe(zod.success);
      if (fast.success && zod.success) expect(fast.data, label).toEqual(zod.data);
      if (!fast.success && !zod.success) expect(fast.error.issues, label).toEqual(zod.error.issues);
    }
  });

  it("stores the trimmed body and only the known keys", () => {
    const r = parseClientEvent({ type: "message", client_id: "c1", body: "  hi  ", role: "agent" });
    expect(r).toEqual({ success: true, data: { type: "message", client_id: "c1", body: "hi" } });
  });
});
