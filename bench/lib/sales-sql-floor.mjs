// `PATH=node_modules/.bin:$PATH node bench/lib/sales-sql-floor.mjs [variant …]` (Node 24 from node_modules: node:sqlite): the SQL floor of the sales bench — the import's and
// the baseline's lead rows through the import's insert statement in node:sqlite (in memory, the
// sales_leads table and indexes of schema/migrations/0029_sales.sql), 10 steps of 10,000 file rows,
// 3,000 rows per statement, one transaction per step. No Worker, no D1 transport: what the rows alone
// cost SQLite. Variants: baseline (the file's columns, as /dev/sales-bench/baseline writes them),
// import (plus domain, company link, source, import link; 10 % of the rows merged away),
// import-nodomain (import without domain and company), import-sorted (import rows in domain order);
// a `-keys` suffix (baseline-keys, import-keys) sends the rows as JSON objects read with
// `j.value ->> 'column'` straight from json_each, the statement before the positional rows in a materialised CTE.
// Prints µs per row.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

const ROOT = join(import.meta.dirname, "..", "..");
const ddl = readFileSync(join(ROOT, "schema/migrations/0029_sales.sql"), "utf8")
  .split("--> statement-breakpoint")
  .filter((s) => /sales_leads/.test(s) && /CREATE/.test(s));
// The import's row layout, read from the module that writes it (import.statements.ts LEAD_ROW_HEAD and
// LEAD_COLUMNS), so this script cannot drift from the statement it stands for.
const statements = readFileSync(join(ROOT, "workers/modules/sales/import.statements.ts"), "utf8");
const listOf = (name) => JSON.parse(new RegExp(`const ${name} = (\\[[^\\]]*\\])`).exec(statements)[1].replace(/,\s*\]$/, "]"));
const HEAD = listOf("LEAD_ROW_HEAD");
const COLS = listOf("LEAD_COLUMNS");
const FIELDS = [...HEAD, ...COLS]; // LEAD_ROW_FIELDS
const pos = (f) => `r.b ->> ${FIELDS.indexOf(f)}`;

function run(variant) {
  const db = new DatabaseSync(":memory:");
  for (const s of ddl) db.exec(s);
  const keys = variant.endsWith("-keys");
  const columns = `tenant_id, id, company_id, import_id, status, tags, custom_fields, created_at, updated_at, ${COLS.join(", ")}`;
  const insert = keys
    ? db.prepare(`insert into sales_leads (${columns})
    select j.value ->> 'tenant_id', j.value ->> 'id', j.value ->> 'company_id', j.value ->> 'import_id',
      coalesce(j.value ->> 'status', 'new'), j.value ->> 'tags', j.value ->> 'custom_fields', j.value ->> 'at', j.value ->> 'at',
      ${COLS.map((c) => `j.value ->> '${c}'`).join(", ")}
    from json_each(?) j`)
    : db.prepare(`with r as materialized (select value as b from json_each(?))
    insert into sales_leads (${columns})
    select ${["tenant_id", "id", "company_id", "import_id"].map(pos).join(", ")}, coalesce(${pos("status")}, 'new'),
      ${pos("tags")}, ${pos("custom_fields")}, ${pos("at")}, ${pos("at")}, ${COLS.map(pos).join(", ")}
    from r`);
  // Objects without their empty fields (the old statement's rows), or positional arrays with nulls.
  const encode = (rows) => JSON.stringify(keys ? rows : rows.map((r) => FIELDS.map((f) => r[f] ?? null)));
  // Company ids are time-ordered like newId's, created in the order the file first names them.
  const companyIds = Array.from(
    { length: 5000 },
    (_, i) => `cmp_01${String(i).padStart(8, "0")}${Math.random().toString(36).slice(2, 14)}`,
  );
  const importing = !variant.startsWith("baseline");
  let rows = 0;
  let seq = 0;
  const t0 = performance.now();
  for (let step = 0; step < 10; step++) {
    const values = [];
    for (let i = 0; i < 10_000; i++) {
      const k = step * 10_000 + i;
      if (importing && k % 10 === 9) continue; // merged into an earlier row of the step
      const r = {
        tenant_id: "ten_a",
        id: `lead_01${String(Date.now()).padStart(14, "0")}${(seq++).toString(36).padStart(6, "0")}`,
        // The baseline's email keeps the file's with a row suffix (the file repeats some), as /dev/sales-bench/baseline writes it.
        email: importing ? `person${k}@company${k % 5000}.example` : `person${k}@company${k % 5000}.example#${k}`,
        first_name: `First${k}`,
        last_name: `Last${k}`,
        title: "Engineer",
        company_name: `Company ${k % 5000}`,
        city: `City ${k % 97}`,
        industry: "Software",
        employees: (k % 50) * 10,
        tags: "[]",
        custom_fields: "{}",
        at: Date.now(),
      };
      if (importing)
        Object.assign(r, {
          domain: `company${k % 5000}.example`,
          company_id: companyIds[k % 5000],
          import_id: "imp_bench",
          status: "new",
          source: "import",
        });
      if (variant.startsWith("import-nodomain")) {
        delete r.domain;
        delete r.company_id;
      }
      values.push(r);
    }
    if (variant.startsWith("import-sorted")) values.sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
    db.exec("BEGIN");
    for (let i = 0; i < values.length; i += 3000) insert.run(encode(values.slice(i, i + 3000)));
    db.exec("COMMIT");
    rows += values.length;
  }
  const ms = performance.now() - t0;
  return { variant, rows, ms: Math.round(ms), us_per_row: Math.round((ms / rows) * 10000) / 10 };
}

const variants = process.argv.slice(2);
for (const v of variants.length
  ? variants
  : ["baseline", "import", "import-nodomain", "baseline-keys", "import-keys", "baseline", "import"])
  console.log(JSON.stringify(run(v)));
