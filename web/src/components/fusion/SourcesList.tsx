import { Link } from "@tanstack/react-router";
import { formatDate } from "../../lib/format";
import type { FusionSource } from "./types";

/** The passages a document rests on, grouped by source, each linking to the call or the lead's timeline (the thread). */
export function SourcesList({ sources }: { sources: FusionSource[] }) {
  const groups = new Map<string, FusionSource[]>();
  for (const s of sources) groups.set(`${s.type}:${s.id}`, [...(groups.get(`${s.type}:${s.id}`) ?? []), s]);
  if (!groups.size) return <p className="text-sm text-muted">No sources.</p>;
  return (
    <ul className="space-y-3">
      {[...groups.values()].map((g) => {
        const first = g[0];
        if (!first) return null;
        return (
          <li key={`${first.type}:${first.id}`} className="text-sm">
            <p className="font-medium text-fg">
              {first.type === "transcript" ? (
                <Link to="/sales/calls/$id" params={{ id: first.id }} className="hover:underline">
                  Call: {first.title}
                </Link>
              ) : first.lead_id ? (
                <Link to="/sales/leads/$id" params={{ id: first.lead_id }} className="hover:underline">
                  Email thread: {first.title}
                </Link>
              ) : (
                <>Email thread: {first.title}</>
              )}
            </p>
            <p className="text-xs text-muted">{formatDate(first.occurred_at)}</p>
            <ul className="mt-1 space-y-1">
              {g.map((s) => (
                <li key={`${s.role}:${s.quote}`} className="border-l-2 border-line pl-2">
                  <span className="text-xs text-muted">{s.role === "answer" ? "We said" : "Heard"}: </span>
                  <q className="text-fg">{s.quote}</q>
                </li>
              ))}
            </ul>
          </li>
        );
      })}
    </ul>
  );
}
