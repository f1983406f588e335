import { describe, expect, it } from "vitest";
import { providerTransport } from "../../billing";
import { detectDelimiter, parseCsv } from "../csv";
import { companyNameFromDomain } from "../domains";
import { clearbitEnricher, localDomainEnricher } from "../enrich";
import type { FieldDefRow } from "../fields.service";
import { mapRow, rowMapper } from "../import.rows";
import { jsonBatches, STATEMENT_JSON_CHARS } from "../import.statements";
import { referenceMapRow } from "./import-rows-reference";

// Pure parts of the import: the CSV parser, company names and enrichment, and the row mapping against its reference.
describe("csv", () => {
  it("reads quotes, embedded line breaks and quotes, CRLF, a BOM and detects ; and tab", () => {
    const text = '\ufeffname;note;city\r\n"Doe; Jane";"said ""hi""\nthen left";Berlin\r\n\r\nBob;;"Köln"\n';
    expect(detectDelimiter(text.slice(1))).toBe(";");
    expect(parseCsv(text)).toEqual([
      ["name", "note", "city"],
      ["Doe; Jane", 'said "hi"\nthen left', "Berlin"],
      ["Bob", "", "Köln"],
    ]);
    expect(detectDelimiter("a\tb\tc\n1\t2\t3")).toBe("\t");
    expect(parseCsv("a,b\n1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(parseCsv('a,b\n"unterminated,x')).toEqual([["a", "b"], ["unterminated,x"]]);
  });

  it("names companies from domains; the local enricher knows nothing else", async () => {
    expect(companyNameFromDomain("acme-robotics.io")).toBe("Acme Robotics");
    expect(companyNameFromDomain("shop.example.co.uk")).toBe("Example");
    expect(await localDomainEnricher.enrich("acme-robotics.io")).toEqual({ name: "Acme Robotics" });
  });

  it("enriches through Clearbit's Company API wire format (local fake through the provider transport)", async () => {
    const saved = providerTransport.current;
    const seen: string[] = [];
    providerTransport.current = async (input, init) => {
      const url = new URL(String(input));
      seen.push(`${url.pathname}?${url.searchParams} ${new Headers(init?.headers).get("authorization")}`);
      if (url.searchParams.get("domain") === "unknown.io") return new Response("{}", { status: 404 });
      return Response.json({
        name: "Acme Robotics Inc.",
        domain: "acme-robotics.io",
        category: { sector: "Industrials", industry: "Machinery" },
        metrics: { employees: 250 },
        geo: { countryCode: "de" },
      });
    };
    try {
      const e = clearbitEnricher("sk_test_123", "https://clearbit.fake");
      expect(await e.enrich("acme-robotics.io")).toEqual({
        name: "Acme Robotics Inc.",
        industry: "Machinery",
        employees: 250,
        country: "DE",
      });
      expect(await e.enrich("unknown.io")).toEqual({ name: "Unknown" });
      expect(seen[0]).toBe("/v2/companies/find?domain=acme-robotics.io Bearer sk_test_123");
    } finally {
      providerTransport.current = saved;
    }
  });
});

describe("CSV import rows", () => {
  const def = (key: string, type: FieldDefRow["type"]) =>
    ({ tenantId: "t", id: `sfd_${key}`, entity: "lead", key, label: key, type, position: 0, createdAt: 0 }) as FieldDefRow;
  const defs = new Map(
    [def("seats", "number"), def("vip", "boolean"), def("since", "date"), def("site", "url"), def("note", "text")].map((d) => [d.key, d]),
  );
  const headers = [
    "E-mail",
    "First",
    "Last",
    "Full name",
    "Title",
    "Phone",
    "Company",
    "Website",
    "Industry",
    "Size",
    "Country",
    "State",
    "City",
    "TZ",
    "LinkedIn",
    "Source",
    "Status",
    "Tags",
    "Seats",
    "VIP",
    "Since",
    "Site",
    "Note",
    "Gone",
    "Title 2",
  ];
  const mapping: Record<string, string> = {
    "E-mail": "email",
    First: "first_name",
    Last: "last_name",
    "Full name": "name",
    Title: "title",
    Phone: "phone",
    Company: "company_name",
    Website: "domain",
    Industry: "industry",
    Size: "employees",
    Country: "country",
    State: "region",
    City: "city",
    TZ: "timezone",
    LinkedIn: "linkedin_url",
    Source: "source",
    Status: "status",
    Tags: "tags",
    Seats: "custom.seats",
    VIP: "custom.vip",
    Since: "custom.since",
    Site: "custom.site",
    Note: "custom.note",
    Gone: "custom.gone",
    "Title 2": "title",
    Missing: "city",
  };
  const columns = new Map(headers.map((h, i) => [h, i]));
  const pools: string[][] = [
    ["", " Ann@Acme.io ", "bob@gmail.com", "not-an-email", "x@y", "a@b@c.com", "dup@acme.io", "ceo@shop.example.co.uk"],
    ["", "Ann", " Bob ", "Ünal"],
    ["", "Lee", "van der Berg"],
    ["", "Jane Q Public", "Solo", "  spaced   out  "],
    ["", "Engineer", "x".repeat(250)],
    ["", "+1 555 0100"],
    ["", "Acme", "Shop Ltd"],
    ["", "https://www.Acme.io/about", "acme.io", "not a domain", "HTTP://Sub.Example.com:8080/x?y"],
    ["", "Software"],
    ["", "450", "1,000", "10-50", "10 – 20", "5 to 9", "500+", "lots", "-3", "1.5"],
    ["", "us", "DE", "USA", "x1"],
    ["", "CA"],
    ["", "Oslo", "y".repeat(120)],
    ["", "Europe/Berlin"],
    ["", "https://linkedin.com/in/ann"],
    ["", "Fair", "s".repeat(60)],
    ["", "qualified", "NEW", "sleeping", "customer"],
    ["", "a;b", "A | b, c", " ; ,", "Fair 2026"],
    ["", "12", "1,200", "many"],
    ["", "yes", "N", "maybe"],
    ["", "2026-01-31", "31.01.2026"],
    ["", "https://acme.io", "ftp://acme.io", "nope"],
    ["", "hello"],
    ["", "orphan"],
    ["", "CTO"],
  ];
  let seed = 7;
  const pick = <T>(xs: T[]) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return xs[Math.floor((seed / 2147483648) * xs.length)] as T;
  };
  const rows = Array.from({ length: 3000 }, () => pools.map((p) => pick(p)));

  it("rowMapper maps every row exactly as the reference mapping did (values, lead, the same errors in the same order)", () => {
    for (const tags of [[], ["Fair 2026", " fair 2026 ", ""]]) {
      const map = rowMapper(columns, mapping, defs, tags);
      for (const [i, cells] of rows.entries())
        expect(map(i + 1, cells), JSON.stringify(cells)).toEqual(referenceMapRow(i + 1, cells, columns, mapping, defs, tags));
      // Without custom fields mapped, and with a short row (missing cells read as empty).
      const plain = Object.fromEntries(Object.entries(mapping).filter(([, f]) => !f.startsWith("custom.")));
      const mapPlain = rowMapper(columns, plain, defs, tags, "api");
      for (const cells of [...rows.slice(0, 500), ["a@b.io"], []])
        expect(mapPlain(9, cells)).toEqual(referenceMapRow(9, cells, columns, plain, defs, tags, "api"));
    }
    const map = rowMapper(columns, mapping, defs, []);
    const errs = rows.flatMap((c, i) => map(i + 1, c).errors);
    // The corpus reaches every kind of row error.
    expect(new Set(errs.map((e) => e.field))).toEqual(
      new Set(["email", "employees", "country", "status", "custom.seats", "custom.vip", "custom.since", "custom.site", "custom.gone"]),
    );
  });

  it("splits statement rows into JSON arrays bounded by size (and by count when asked), keeping every row in order", () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => ({ id: `lead_${i}`, email: `p${i}@x.io`, note: "é".repeat(i % 300) }));
    const parts = jsonBatches(rows, Number.POSITIVE_INFINITY, 50_000);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(50_000);
    expect(parts.flatMap((p) => JSON.parse(p))).toEqual(rows);
    expect(jsonBatches(rows, 250).map((p) => JSON.parse(p).length)).toEqual([250, 250, 250, 250, 250, 250, 250, 250]);
    const wide = [{ id: "a" }, { id: "b", note: "x".repeat(100) }, { id: "c" }];
    expect(jsonBatches(wide, Number.POSITIVE_INFINITY, 40).map((p) => JSON.parse(p).map((r: { id: string }) => r.id))).toEqual([
      ["a"],
      ["b"],
      ["c"],
    ]);
    expect(jsonBatches([])).toEqual([]);
    // A step of the bench's rows (~470 characters each) fits in a handful of statements, well under D1's 2 MB per bound string.
    expect(STATEMENT_JSON_CHARS * 3).toBeLessThan(2_000_000);
  });

  it("maps one row: trims, splits a full name, parses sizes, tags, domains, and reports each bad value", () => {
    const m = { email: "email", name: "name", size: "employees", tags: "tags", site: "domain", country: "country", seats: "custom.seats" };
    const cols = new Map(Object.keys(m).map((h, i) => [h, i]));
    const ok = mapRow(4, [" Ann@Acme.IO ", "Ann van Dyk", "10-50", "B;a|b", "", "de", "1,200"], cols, m, defs, ["Fair"]);
    expect(ok.errors).toEqual([]);
    expect(ok.lead).toMatchObject({
      email: "ann@acme.io",
      firstName: "Ann",
      lastName: "van Dyk",
      employees: 30,
      country: "DE",
      domain: "acme.io",
    });
    expect(ok.lead?.tags).toEqual(["b", "a", "fair"]);
    expect(ok.lead?.customFields).toEqual({ seats: 1200 });
    expect(mapRow(5, ["x@gmail.com", "X", "", "", "https://www.Other.io/x"], cols, m, defs, []).lead?.domain).toBe("other.io");
    expect(mapRow(5, ["x@gmail.com", "X", "", "", ""], cols, m, defs, []).lead?.domain).toBeNull();
    const bad = mapRow(6, ["nope", "", "lots", "", "", "Germany", "many"], cols, m, defs, []);
    expect(bad.lead).toBeNull();
    expect(bad.errors).toEqual([
      { row: 6, field: "email", message: '"nope" is not a valid email address' },
      { row: 6, field: "employees", message: '"lots" is not a number of employees' },
      { row: 6, field: "country", message: '"Germany" is not a two-letter country code (ISO 3166-1)' },
      { row: 6, field: "custom.seats", message: '"many" must be a number' },
    ]);
    expect(mapRow(7, ["", "", "", "", "", "", ""], cols, m, defs, []).errors).toEqual([
      { row: 7, field: "email", message: "a lead needs an email or a name" },
    ]);
  });
});
