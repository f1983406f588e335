import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { lazy, Suspense, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { fmtNumber, fmtPercent } from "../analytics/client";
import { buttonClass } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { cx } from "../ui/cx";
import { EmptyState } from "../ui/EmptyState";
import { Skeleton } from "../ui/Skeleton";
import { type Activity, fmtMinutes } from "./client";
import { CommunityIcon } from "./icons";

const ActivityChart = lazy(() => import("./ActivityChart"));
const RANGES = [7, 30, 90] as const;

/**
 * Community → Overview: activity figures (topics, posts, active members per day; time to first
 * reply; solved rate of questions), what waits in the moderation queue, and the way to the public
 * community — or, while the forum is off, how to turn it on.
 */
export function OverviewPage() {
  const ws = useWorkspace();
  const [days, setDays] = useState<(typeof RANGES)[number]>(30);
  const activity = useQuery({
    queryKey: tkey(ws.id, "forum", "activity", days),
    queryFn: () => api("GET /api/v1/forum/activity", { query: { days } }),
    placeholderData: keepPreviousData,
  });
  const a = activity.data;
  return (
    <>
      <PageHeader
        title="Community"
        description="How your community is doing: conversations, who takes part, how fast questions get an answer."
        actions={
          a?.enabled ? (
            <a href={a.community_path} target="_blank" rel="noreferrer" className={buttonClass("secondary")}>
              Open the community <span aria-hidden="true">↗</span>
            </a>
          ) : null
        }
      />
      {activity.isError && (
        <p role="alert" className="mb-4 text-sm text-danger">
          {errorMessage(activity.error)}
        </p>
      )}
      {a && !a.enabled && <TurnOnCard canManage={ws.can("forum:manage")} path={a.community_path} />}
      {a && (a.attention.pending_flags > 0 || a.attention.pending_posts > 0) && (
        <div
          role="status"
          className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-xl border border-warning/40 bg-warning-soft px-4 py-3 text-sm"
        >
          <span>
            <strong className="font-semibold">Waiting for a moderator:</strong> {plural(a.attention.pending_flags, "flag")} and{" "}
            {plural(a.attention.pending_posts, "held post")}.
          </span>
          <Link to="/forum/moderation" className={buttonClass("secondary", "sm")}>
            Open the queue
          </Link>
        </div>
      )}
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <fieldset className="inline-flex rounded-lg border border-line bg-surface p-0.5 shadow-sm">
          <legend className="sr-only">Period</legend>
          {RANGES.map((d) => (
            <label
              key={d}
              className={cx(
                "cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent",
                d === days ? "bg-accent-soft text-accent" : "text-muted hover:text-fg",
              )}
            >
              <input type="radio" name="community-range" className="sr-only" checked={d === days} onChange={() => setDays(d)} />
              {d} days
            </label>
          ))}
        </fieldset>
        {a && (
          <p className="text-xs text-muted">
            {a.from} – {a.to} (UTC)
          </p>
        )}
      </div>
      <Figures a={a} />
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Card title="Topics and posts" description="Started and written per day (held and deleted ones left out)">
          <ChartSlot a={a} kind="content" />
        </Card>
        <Card title="Active members" description="Members who posted or reacted, per day">
          <ChartSlot a={a} kind="members" />
        </Card>
      </div>
    </>
  );
}

function plural(n: number, word: string) {
  return `${fmtNumber(n)} ${word}${n === 1 ? "" : "s"}`;
}

function TurnOnCard({ canManage, path }: { canManage: boolean; path: string }) {
  return (
    <Card className="mb-6">
      <EmptyState
        icon={<CommunityIcon className="size-6" />}
        title="Your community is off"
        action={
          canManage ? (
            <Link to="/forum/settings" className={buttonClass("primary")}>
              Turn it on in Settings
            </Link>
          ) : undefined
        }
      >
        Turn the forum on and your customers get a community at <code>{path}</code>: categories, questions with accepted answers, reactions
        and search, signed in with their portal account.
        {canManage ? "" : " Ask an admin to turn it on."}
      </EmptyState>
    </Card>
  );
}

function Figures({ a }: { a: Activity | undefined }) {
  const t = a?.totals;
  const items: { label: string; value: string | undefined; hint: string }[] = [
    { label: "Topics", value: t && fmtNumber(t.topics), hint: t ? `${fmtNumber(t.unanswered)} without a reply yet` : "" },
    { label: "Posts", value: t && fmtNumber(t.posts), hint: "First posts included" },
    {
      label: "Active members",
      value: t && fmtNumber(t.active_members),
      hint: t ? `${fmtNumber(t.new_members)} new in this period` : "",
    },
    {
      label: "Time to first reply",
      value: t && fmtMinutes(t.median_first_reply_minutes),
      hint: t ? `Median · staff: ${fmtMinutes(t.median_first_staff_reply_minutes)}` : "",
    },
    {
      label: "Solved questions",
      value: t && (t.solved_rate === null ? "—" : fmtPercent(t.solved_rate)),
      hint: t ? `${fmtNumber(t.solved)} of ${plural(t.questions, "question")}` : "",
    },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5">
      {items.map((k) => (
        <div key={k.label} className="rounded-xl border border-line bg-surface p-4 shadow-sm">
          <dt className="text-sm text-muted">{k.label}</dt>
          {k.value === undefined ? (
            <dd>
              <Skeleton className="mt-2 h-8 w-20" />
            </dd>
          ) : (
            <dd className="mt-1">
              <span className="text-2xl font-semibold tabular-nums">{k.value}</span>
              <span className="mt-1 block text-xs text-muted">{k.hint}</span>
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}

function ChartSlot({ a, kind }: { a: Activity | undefined; kind: "content" | "members" }) {
  if (!a) return <Skeleton className="h-64" />;
  const empty = kind === "content" ? a.totals.topics + a.totals.posts === 0 : a.totals.active_members === 0;
  if (empty) return <p className="py-20 text-center text-sm text-muted">Nothing yet in these {a.days} days.</p>;
  return (
    <Suspense fallback={<Skeleton className="h-64" />}>
      <ActivityChart series={a.series} kind={kind} />
    </Suspense>
  );
}
