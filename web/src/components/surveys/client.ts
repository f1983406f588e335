import type { Res } from "../../lib/api";
import { ApiError } from "../../lib/api";
import { getAccessToken, getTenantId } from "../../lib/session";

export type NpsSummary = Res<"GET /api/v1/surveys/nps/summary">;
export type NpsResponse = Res<"GET /api/v1/surveys/nps/responses">["data"][number];
export type SurveySettings = Res<"GET /api/v1/surveys/settings">;
export type Feedback = Res<"GET /api/v1/surveys/feedback">["data"][number];
export type FeedbackDetail = Res<"GET /api/v1/surveys/feedback/{id}">;
export type Band = NpsResponse["band"];

export const BAND_LABEL: Record<Band, string> = { promoter: "Promoters (9–10)", passive: "Passives (7–8)", detractor: "Detractors (0–6)" };
export const BAND_COLOR: Record<Band, string> = { promoter: "#16a34a", passive: "#a3a3a3", detractor: "#dc2626" };
export const CATEGORY_LABEL: Record<Feedback["category"], string> = { bug: "Bug", idea: "Idea", question: "Question", other: "Other" };
export const STATUS_LABEL: Record<Feedback["status"], string> = { open: "Open", in_progress: "In progress", closed: "Closed" };

export { FeedbackIcon, GaugeIcon } from "./icons";

/** Downloads an authenticated file (the CSV export) by fetching it with the session and saving the blob. */
export async function downloadAuthenticated(path: string, filename: string) {
  const headers: Record<string, string> = {};
  const token = getAccessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const tenant = getTenantId();
  if (tenant) headers["X-Tenant-ID"] = tenant;
  const res = await fetch(path, { headers });
  if (!res.ok)
    throw new ApiError({ type: "about:blank", title: "Export failed", status: res.status, detail: `The export failed (${res.status}).` });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** ISO date (YYYY-MM-DD) `days` ago, for range pickers. */
export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
