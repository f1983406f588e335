import { useQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { useState } from "react";
import { daysAgo } from "../../components/surveys/client";
import { NpsBreakdowns, NpsHeadline, NpsTrend } from "../../components/surveys/NpsOverview";
import { NpsResponses } from "../../components/surveys/NpsResponses";
import { SurveySettingsCard, SurveysInstallCard } from "../../components/surveys/SurveySettingsCard";
import { PageHeader } from "../../components/ui/Card";
import { Field, Select } from "../../components/ui/Field";
import { PageSkeleton } from "../../components/ui/Skeleton";
import { api, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";

export const Route = createFileRoute("/_app/surveys/nps")({
  // `?follow_up=open` is where the detractor alert email links to.
  validateSearch: (s: Record<string, unknown>): { follow_up?: "open" | "done" } =>
    s.follow_up === "open" || s.follow_up === "done" ? { follow_up: s.follow_up } : {},
  component: NpsPage,
});

function NpsPage() {
  const ws = useWorkspace();
  const search = Route.useSearch();
  const [days, setDays] = useState(90);
  const [interval, setTrendBy] = useState<"week" | "month">("week");
  const from = daysAgo(days);
  const to = daysAgo(0);
  const summary = useQuery({
    queryKey: tkey(ws.id, "surveys", "nps", "summary", from, to, interval),
    queryFn: () => api("GET /api/v1/surveys/nps/summary", { query: { from, to, interval } }),
  });
  const settings = useQuery({ queryKey: tkey(ws.id, "surveys", "settings"), queryFn: () => api("GET /api/v1/surveys/settings") });
  return (
    <>
      <PageHeader
        title="NPS"
        description="How likely your users are to recommend you, asked in your product by the rules below. Every detractor (0–6) is flagged for follow-up."
        actions={
          <div className="flex gap-2">
            <Field label="Period" hideLabel>
              <Select value={days} onChange={(e) => setDays(Number(e.target.value))}>
                <option value={30}>Last 30 days</option>
                <option value={90}>Last 90 days</option>
                <option value={180}>Last 6 months</option>
                <option value={365}>Last 12 months</option>
              </Select>
            </Field>
            <Field label="Trend by" hideLabel>
              <Select value={interval} onChange={(e) => setTrendBy(e.target.value as "week" | "month")}>
                <option value="week">By week</option>
                <option value="month">By month</option>
              </Select>
            </Field>
          </div>
        }
      />
      {summary.isError ? (
        <p role="alert" className="text-danger">
          {errorMessage(summary.error)}
        </p>
      ) : !summary.data ? (
        <PageSkeleton />
      ) : (
        <div className="space-y-4">
          {settings.data && !settings.data.nps_enabled && (
            <p className="rounded-lg border border-warning/40 bg-warning-soft px-4 py-2 text-sm text-warning" role="status">
              NPS is off: no one is asked until you turn on “Ask NPS” below.
            </p>
          )}
          <NpsHeadline s={summary.data} />
          <NpsTrend s={summary.data} />
          <NpsBreakdowns s={summary.data} />
          <NpsResponses from={from} to={to} initialFollowUp={search.follow_up} />
          <div className="grid gap-4 lg:grid-cols-2">
            {settings.data && <SurveySettingsCard settings={settings.data} />}
            <SurveysInstallCard />
          </div>
        </div>
      )}
    </>
  );
}
