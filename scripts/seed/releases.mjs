// The demo workspace's release notes (modules/releases): a handful published (one featured), one
// scheduled a few days ahead and one draft. Bodies are rendered by the Worker's own sanitising
// renderer (workers/platform/markdown.ts), so the seed stores exactly what the API would.
import { renderMarkdown } from "../../workers/platform/markdown.ts";
import { insert, OWNER, raw, TENANT } from "./sql.mjs";

const DAY = 86_400_000;

/** [id suffix, status, days from now (published_at, or publish_at when scheduled), featured, type, version, title, Markdown] */
const NOTES = [
  [
    "gift_cards",
    "published",
    -34,
    false,
    "feature",
    "2.3.0",
    "Gift cards",
    "Give a piece of the studio: **digital gift cards** from €25, sent by email on the date you choose.\n\n- Redeem at checkout, in one go or over several orders\n- Balance shown in your account",
  ],
  [
    "tracking",
    "published",
    -21,
    false,
    "fix",
    "2.3.1",
    "Order tracking links work again",
    "Tracking links in shipping emails pointed at the wrong carrier for parcels to Austria and Switzerland. They now open the right page; no orders were affected.",
  ],
  [
    "checkout",
    "published",
    -9,
    true,
    "improvement",
    "2.4.0",
    "A faster, calmer checkout",
    "Checkout is now **one page** instead of three, remembers your address, and accepts Apple Pay and Google Pay.\n\nOn a phone it takes half the taps it used to. [Read how we rebuilt it](https://example.com/blog/checkout).",
  ],
  [
    "two_factor",
    "published",
    -3,
    false,
    "security",
    "2.4.1",
    "Two-step sign-in for customer accounts",
    "You can now protect your account with a code from an authenticator app. Turn it on under *Account → Security*.",
  ],
  [
    "glazes",
    "scheduled",
    3,
    false,
    "feature",
    "2.5.0",
    "Choose your glaze",
    "Every mug and bowl now comes in **five glazes**: celadon, tenmoku, shino, ash and clear. Photos of each on the product pages.",
  ],
  [
    "workshops",
    "draft",
    0,
    false,
    "feature",
    null,
    "Book a pottery workshop",
    "Draft: weekend wheel-throwing workshops in the studio, bookable online. Dates to be confirmed.",
  ],
];

const slugOf = (version, title) =>
  `${version ?? ""} ${title}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

/** INSERTs (ON CONFLICT DO NOTHING: a re-seed changes nothing) for the demo workspace's release notes. */
export function releasesSql({ now }) {
  return insert(
    "release_notes",
    NOTES.map(([id, status, days, featured, type, version, title, md]) => {
      const at = now + days * DAY;
      const written = status === "published" ? at - 2 * DAY : now - 5 * DAY;
      return {
        tenant_id: raw(TENANT),
        id: `rel_demo_${id}`,
        slug: slugOf(version, title),
        title,
        version,
        type,
        body_md: md,
        body_html: renderMarkdown(md),
        featured,
        status,
        publish_at: status === "scheduled" ? at : null,
        published_at: status === "published" ? at : null,
        created_by: raw(OWNER),
        updated_by: raw(OWNER),
        created_at: written,
        updated_at: status === "published" ? at : written,
      };
    }),
  );
}
