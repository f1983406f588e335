/** Pure helpers for emails and company domains (lower-cased so de-duplication is an index lookup). */

/** Personal mailbox providers: a lead writing from one brings no company. A short list of the common ones. */
export const FREE_MAIL_DOMAINS = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "hotmail.co.uk",
  "live.com",
  "msn.com",
  "yahoo.com",
  "yahoo.co.uk",
  "ymail.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.com",
  "proton.me",
  "protonmail.com",
  "gmx.com",
  "gmx.de",
  "web.de",
  "mail.com",
  "zoho.com",
  "yandex.com",
  "yandex.ru",
  "qq.com",
  "163.com",
  "fastmail.com",
  "hey.com",
]);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const normalizeEmail = (email: string | null | undefined): string | null => {
  const e = email?.trim().toLowerCase();
  return e ? e : null;
};
export const isValidEmail = (email: string) => EMAIL.test(email) && email.length <= 254;

/** "https://www.Acme.io/about" or "acme.io" → "acme.io"; null when nothing domain-like is left. */
export function normalizeDomain(input: string | null | undefined): string | null {
  let d = input?.trim().toLowerCase();
  if (!d) return null;
  d = d
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
    .replace(/[/?#].*$/, "")
    .replace(/:\d+$/, "")
    .replace(/^www\./, "")
    .replace(/\.$/, "");
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d) ? d : null;
}

export const domainOfEmail = (email: string | null): string | null => (email ? normalizeDomain(email.split("@")[1]) : null);
export const isFreeMail = (domain: string | null) => !!domain && FREE_MAIL_DOMAINS.has(domain);

/** The business domain a lead belongs to: the given one, else its email's unless that is a free-mail provider. */
export function leadDomain(email: string | null, given?: string | null): string | null {
  const g = normalizeDomain(given);
  if (g) return g;
  const d = domainOfEmail(email);
  return d && !isFreeMail(d) ? d : null;
}

/** acme-robotics.io → "Acme Robotics"; shop.example.co.uk → "Example". */
export function companyNameFromDomain(domain: string): string {
  const parts = domain.split(".");
  // Drop the public suffix (one label, or two for the common second-level ones: co.uk, com.au…).
  const twoLevel = parts.length > 2 && /^(co|com|org|net|ac|gov)$/.test(parts[parts.length - 2] ?? "");
  const base = parts[parts.length - (twoLevel ? 3 : 2)] ?? parts[0] ?? domain;
  return base
    .split(/[-_]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(" ");
}
