import { formatValue } from "./format";
import { metricById } from "./metrics";
import type { Suggestion } from "./suggestions.service";

export interface FigureLine {
  metric: string;
  current: number;
  previous: number;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** "+25 %", "−40 %", "new", "no change". */
export function changeLabel(current: number, previous: number): string {
  if (current === previous) return "no change";
  if (previous === 0) return "new";
  const p = Math.round(((current - previous) / Math.abs(previous)) * 100);
  return `${p > 0 ? "+" : "−"}${Math.abs(p)} %`;
}

export interface DigestBody {
  figures_text: string;
  figures_html: string;
  alerts_text: string;
  alerts_html: string;
  suggestions_text: string;
  suggestions_html: string;
}

/** The digest's three parts in text and HTML (every value escaped here; the template inserts the HTML raw). */
export function renderDigest(
  figures: FigureLine[],
  alerts: string[],
  suggestions: Suggestion[],
  origin: string,
  periodLabel: string,
): DigestBody {
  const rows = figures.map((f) => {
    const m = metricById(f.metric);
    const label = m?.label ?? f.metric;
    const fv = (v: number) => (m ? formatValue(m, v) : String(v));
    return { label, cur: fv(f.current), prev: fv(f.previous), change: changeLabel(f.current, f.previous) };
  });
  const figures_text = rows.length
    ? `Key figures (${periodLabel}, vs the period before):\n${rows.map((r) => `- ${r.label}: ${r.cur} (was ${r.prev}, ${r.change})`).join("\n")}`
    : `Key figures (${periodLabel}): no activity recorded.`;
  const cell = "padding:6px 8px;border-bottom:1px solid #eee";
  const figures_html = rows.length
    ? `<h2 style="font-size:16px">Key figures</h2><table style="border-collapse:collapse;width:100%;font-size:14px"><thead><tr><th style="${cell};text-align:left">Metric</th><th style="${cell};text-align:right">${esc(periodLabel)}</th><th style="${cell};text-align:right">Before</th><th style="${cell};text-align:right">Change</th></tr></thead><tbody>${rows
        .map(
          (r) =>
            `<tr><td style="${cell}">${esc(r.label)}</td><td style="${cell};text-align:right"><strong>${esc(r.cur)}</strong></td><td style="${cell};text-align:right;color:#666">${esc(r.prev)}</td><td style="${cell};text-align:right">${esc(r.change)}</td></tr>`,
        )
        .join("")}</tbody></table>`
    : `<p>No activity recorded in ${esc(periodLabel)}.</p>`;
  const alerts_text = alerts.length ? `Open alerts:\n${alerts.map((a) => `- ${a}`).join("\n")}` : "Open alerts: none.";
  const alerts_html = alerts.length
    ? `<h2 style="font-size:16px">Open alerts</h2><ul>${alerts.map((a) => `<li>${esc(a)}</li>`).join("")}</ul>`
    : "";
  const suggestions_text = suggestions.length
    ? `Suggestions:\n${suggestions.map((s) => `- ${s.text}: ${origin}${s.link}`).join("\n")}`
    : "Suggestions: none this time.";
  const suggestions_html = suggestions.length
    ? `<h2 style="font-size:16px">Suggestions</h2><ul>${suggestions
        .map((s) => `<li>${esc(s.text)} — <a href="${esc(origin + s.link)}">${esc(s.link_label)}</a></li>`)
        .join("")}</ul>`
    : "";
  return { figures_text, figures_html, alerts_text, alerts_html, suggestions_text, suggestions_html };
}
