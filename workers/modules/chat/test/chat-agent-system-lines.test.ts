import { describe, expect, it } from "vitest";
import { agentLanguage, systemLineForAgent } from "../../../../web/src/components/chat/system-lines";
import { SYSTEM_CODES, systemLine, systemOf } from "../system-messages";

// The agent inbox shows transcript system lines in the agent's language through the same codes the
// widget translates for visitors (web/src/components/chat/system-lines.ts).
describe("agent inbox system lines", () => {
  it("picks the first browser language that has a table, else English", () => {
    expect(agentLanguage(["de-AT", "en-US"])).toBe("de");
    expect(agentLanguage(["pt-BR", "fr-CA"])).toBe("fr");
    expect(agentLanguage(["ja-JP"])).toBe("en");
    expect(agentLanguage([])).toBe("en");
  });

  it("renders every stored line in each language from its code, with the agent's name", () => {
    for (const code of SYSTEM_CODES) {
      const stored = systemLine(code, "Ana");
      const msg = { body: stored.body, system: systemOf("system", stored.body) };
      expect(msg.system?.code).toBe(code);
      const english = systemLineForAgent(msg, "en");
      for (const lang of ["es", "de", "fr"]) {
        const line = systemLineForAgent(msg, lang);
        expect(line.length).toBeGreaterThan(10);
        expect(line, `${code} in ${lang}`).not.toBe(english);
        if (code === "joined" || code === "ended_by_agent") expect(line).toContain("Ana");
      }
    }
    const endedByVisitor = { body: systemLine("ended_by_visitor").body, system: { code: "ended_by_visitor" as const, name: null } };
    expect(systemLineForAgent(endedByVisitor, "en")).toBe("The visitor ended the conversation.");
    expect(systemLineForAgent(endedByVisitor, "de")).toBe("Der Besucher hat das Gespräch beendet.");
  });

  it("shows the stored text of a line without a code", () => {
    expect(systemLineForAgent({ body: "Something the server did not recognise.", system: null }, "de")).toBe(
      "Something the server did not recognise.",
    );
  });
});
