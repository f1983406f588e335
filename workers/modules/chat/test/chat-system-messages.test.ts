import { describe, expect, it } from "vitest";
import { SYSTEM_CODES, systemLine, systemOf } from "../system-messages";

describe("chat system lines", () => {
  it("every line written is recognised again with its code and name", () => {
    for (const code of SYSTEM_CODES) {
      const line = systemLine(code, "Ana (support). *x*");
      const info = systemOf("system", line.body);
      expect(info?.code, line.body).toBe(code);
      if (line.body.includes("Ana (support). *x*")) expect(info?.name).toBe("Ana (support). *x*");
      else expect(info?.name).toBeNull();
    }
  });

  it("reads transcripts written before codes existed, fixed texts before named ones", () => {
    expect(systemOf("system", "The visitor ended the conversation.")).toEqual({ code: "ended_by_visitor", name: null });
    expect(systemOf("system", "Ana joined the conversation.")).toEqual({ code: "joined", name: "Ana" });
    expect(systemOf("system", "Weft ended the conversation.")).toEqual({ code: "ended", name: null });
    expect(systemOf("system", "Something new")).toBeNull();
    expect(systemOf("visitor", "Waiting for a person from the team…")).toBeNull(); // a visitor typing the same words is not a system line
  });
});
