import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { useWorkspace } from "../../lib/workspace";
import { aq, fmtNumber, fmtPercent, rangeOf } from "../analytics/client";
import { AT_RISK_SCORE, gq, signedUsd } from "../analytics/growth/client";
import { Skeleton } from "../ui/Skeleton";

const CHURN_LIMIT = 200; // the API's most; the list is sorted by score, so the count is exact below it

/** A number once loaded, "—" if its request failed, undefined while loading. */
function shown<T>(q: { data: T | undefined; isError: boolean }, f: (d: T) => string): string | undefined {
  return q.data !== undefined ? f(q.data) : q.isError ? "—" : undefined;
}

/**
 * A compact row of growth numbers for the home page (analytics:read): visitors this week, weekly
 * active people, activation rate (when milestones are defined), net new MRR (when subscription events
 * carry revenue) and people at risk, each linking to
 * its analytics page. A workspace with no analytics events yet gets a one-line pointer to the tracker.
 */
export function GrowthHeadline() {
  const ws = useWorkspace();
  const names = useQuery(aq.eventNames(ws.id));
  // The numbers are asked for only once the workspace is known to have events.
  const enabled = (names.data?.data.length ?? 0) > 0;
  const week = useQuery({ ...aq.overview(ws.id, rangeOf(7)), enabled });
  const active = useQuery({ ...gq.active(ws.id), enabled });
  const activation = useQuery({ ...gq.activation(ws.id, rangeOf(30)), enabled });
  const churn = useQuery({ ...gq.churn(ws.id, CHURN_LIMIT), enabled });
  const expansion = useQuery({ ...gq.expansion(ws.id, rangeOf(30)), enabled });

  if (names.data?.data.length === 0)
    return (
      <p className="rounded-xl border border-dashed border-line px-4 py-3 text-sm text-muted">
        No analytics events yet.{" "}
        <Link to="/analytics" className="font-medium text-accent underline underline-offset-2">
          Install the tracker
        </Link>{" "}
        to see visitors, active people and activation here.
      </p>
    );
  // Analytics can't be read right now: say nothing here (the analytics pages show the error).
  if (names.isError) return null;

  const growth = (c: ReactNode) => (
    <Link to="/analytics/growth" className={tile}>
      {c}
    </Link>
  );
  return (
    <section aria-labelledby="growth-headline">
      <h2 id="growth-headline" className="mb-2 text-sm font-semibold">
        Growth
      </h2>
      <ul className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5">
        <Headline
          label="Visitors, last 7 days"
          value={shown(week, (d) => fmtNumber(d.current.visitors))}
          link={(c) => (
            <Link to="/analytics" search={{ days: 7 }} className={tile}>
              {c}
            </Link>
          )}
        />
        <Headline label="Weekly active people" value={shown(active, (d) => fmtNumber(d.wau))} link={growth} />
        {activation.data?.configured !== false && (
          <Headline label="Activation, last 30 days" value={shown(activation, (d) => fmtPercent(d.activation_rate))} link={growth} />
        )}
        {expansion.data?.mrr.tracked && (
          <Headline label="Net new MRR, last 30 days" value={shown(expansion, (d) => signedUsd(d.mrr.net_new_cents))} link={growth} />
        )}
        <Headline
          label="People at risk"
          value={shown(churn, (d) => {
            const n = d.data.filter((p) => p.score >= AT_RISK_SCORE).length;
            return `${fmtNumber(n)}${n === CHURN_LIMIT ? "+" : ""}`;
          })}
          link={growth}
        />
      </ul>
    </section>
  );
}

const tile =
  "block h-full rounded-xl border border-line bg-surface px-4 py-3 shadow-sm hover:border-accent/50 focus-visible:outline-2 focus-visible:outline-accent";

/** One number; the whole tile links to its analytics page. */
function Headline({ label, value, link }: { label: string; value: string | undefined; link: (c: ReactNode) => ReactNode }) {
  return (
    <li>
      {link(
        <>
          <span className="block text-xs text-muted">{label}</span>
          {value === undefined ? (
            <>
              <Skeleton className="mt-1.5 h-6 w-14" />
              <span className="sr-only">Loading</span>
            </>
          ) : (
            <span className="mt-0.5 block text-xl font-semibold tabular-nums">{value}</span>
          )}
        </>,
      )}
    </li>
  );
}
