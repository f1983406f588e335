/**
 * For the sales module's lead scoring (issue 17: site visits add to a lead's score): page views per
 * identified person that has an email, a page of persons at a time in id order.
 *
 * A person is who `identify` merged the anonymous ids into (ingest.consumer.ts: the anonymous id's
 * earlier events move to the person, so `person_id` already covers the visits before the sign-in).
 * Its email is the `email` trait (`identify(id, { email })`), else the person id itself when it is
 * an email address (`identify("ada@example.com")`); lower-cased, as sales stores lead emails.
 * Bots' page views are not counted.
 */

export interface PersonPageViews {
  email: string;
  views: number;
}

export interface PageViewsPage {
  rows: PersonPageViews[];
  /** The last person id read; null when this page reached the end. */
  next: string | null;
}

// The count walks the person's index entries (tenant, person_id, ts, name, is_bot): no table reads.
const PAGE_SQL = `SELECT p.id AS id,
    lower(coalesce(nullif(trim(p.traits ->> 'email'), ''), CASE WHEN p.id LIKE '%_@_%' THEN p.id END)) AS email,
    (SELECT count(*) FROM analytics_events e
      WHERE e.tenant_id = ?1 AND e.person_id = p.id AND e.name = '$pageview' AND e.is_bot = 0) AS views
  FROM analytics_persons p
  WHERE p.tenant_id = ?1 AND p.id > ?2
  ORDER BY p.id
  LIMIT ?3`;

/** Up to `limit` persons after `after` (null: from the start); those without an email are skipped but advance the page. */
export async function pageViewsByPerson(d1: D1Database, tenantId: string, after: string | null, limit = 500): Promise<PageViewsPage> {
  const { results } = await d1
    .prepare(PAGE_SQL)
    .bind(tenantId, after ?? "", limit)
    .all<{ id: string; email: string | null; views: number }>();
  const rows = results.filter((r) => r.email).map((r) => ({ email: r.email as string, views: Number(r.views) }));
  return { rows, next: results.length === limit ? (results[results.length - 1]?.id ?? null) : null };
}
