import { useState } from "react";
import { useWorkspace } from "../lib/workspace";
import { LOCAL_STACK } from "../lib/local-stack";

const KEY = "weft.demoBanner";

/**
 * Marks the demo workspace `npm start` seeds (scripts/seed.mjs: "Demo Co", slug `demo`) as demo data.
 * Local development only: a production workspace that happens to have the slug `demo` never sees it.
 */
export function DemoBanner() {
  const ws = useWorkspace();
  const [hidden, setHidden] = useState(() => localStorage.getItem(KEY) === "hidden");
  if (!LOCAL_STACK || ws.slug !== "demo" || hidden) return null;
  return (
    <aside
      aria-label="Demo data"
      className="mb-6 flex flex-wrap items-center gap-x-3 gap-y-1 rounded-xl border border-warning/40 bg-warning-soft px-4 py-2.5 text-sm text-warning"
    >
      <p className="min-w-0 flex-1">
        <strong>Demo data.</strong> {ws.name} was filled by <code>npm start</code> with fictional teammates, customers (example.com),
        conversations, invoices and messages. Teammates sign in as priya@, sam@, lena@ or tom@demo.weft.local with the demo password.
      </p>
      <button
        type="button"
        className="rounded-md px-2 py-1 font-medium hover:bg-warning/10"
        onClick={() => {
          localStorage.setItem(KEY, "hidden");
          setHidden(true);
        }}
      >
        Hide
      </button>
    </aside>
  );
}
