const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : "—";
}
export function formatDate(iso: string | null | undefined): string {
  return iso ? dateOnly.format(new Date(iso)) : "—";
}

/** "3 minutes ago", "in 6 days". */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "—";
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
  ];
  for (const [unit, ms] of units) if (abs >= ms) return rtf.format(Math.round(diff / ms), unit);
  return "just now";
}

export function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((p) => p[0]!.toUpperCase())
      .join("") || "?"
  );
}

const NAMED: Record<string, string> = {
  "auth.login": "Signed in",
  "auth.login_failed": "Failed sign-in",
  "auth.logout": "Signed out",
  "auth.signup": "Account created",
  "auth.session_started": "Session started",
  "auth.mfa_failed": "Failed two-factor code",
  "tenant.created": "Workspace created",
  "tenant.updated": "Workspace updated",
  "ownership.transferred": "Ownership transferred",
};

/** "member.role_changed" → "Member role changed"; "auth.login" → "Signed in". */
export function humanizeAction(action: string): string {
  if (NAMED[action]) return NAMED[action];
  const s = action
    .replace(/^auth\./, "")
    .replace(/^mfa\./, "two-factor ")
    .replace(/[._]/g, " ")
    .replace(/\bapi\b/g, "API")
    .replace(/\bmfa\b/g, "two-factor");
  return s.charAt(0).toUpperCase() + s.slice(1);
}
