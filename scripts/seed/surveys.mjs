// The demo workspace's NPS and feedback (modules/surveys): NPS on (asked 14 days after sign-up, every
// 90 days), ~40 answers over the last 8 weeks from users on three plans and several sign-up cohorts
// (detractors flagged for follow-up, the older ones marked done), a few dismissals, and ten feedback
// items in every status and category. Fixed ids + ON CONFLICT DO NOTHING: a re-seed changes nothing.
import { createHash } from "node:crypto";
import { insert, OWNER, raw, TENANT } from "./sql.mjs";

const DAY = 86_400_000;
const T = raw(TENANT);
const OWNER_ID = raw(OWNER);
/** Stable pseudo-random integer in [0, n) (the demo looks the same on every machine). */
const pick = (key, n) => createHash("sha256").update(key).digest().readUInt32BE(0) % n;

const PLANS = ["free", "starter", "pro"];
// Scores lean on the plan (pro users are happier), with a slow improvement over the 8 weeks.
const SCALE = {
  free: [2, 4, 5, 6, 7, 7, 8, 9, 9, 10],
  starter: [5, 6, 7, 8, 8, 9, 9, 10, 10, 10],
  pro: [6, 8, 9, 9, 9, 10, 10, 10, 10, 10],
};
const COMMENTS = {
  detractor: [
    "Checkout keeps timing out on my phone.",
    "Too expensive for what I use.",
    "Shipping to Austria took three weeks.",
    "The search never finds the glaze I want.",
    null,
  ],
  passive: ["Nice pieces, but the site is slow.", "Good, though I miss gift wrapping.", null, "Fine overall."],
  promoter: [
    "Beautiful mugs, and the team answered within an hour!",
    "I've recommended you to all my friends.",
    "Love the new one-page checkout.",
    null,
    "Quality is outstanding.",
  ],
};
const bandOf = (s) => (s >= 9 ? "promoter" : s >= 7 ? "passive" : "detractor");

/** INSERTs for the demo workspace's survey settings, NPS responses and feedback inbox. */
export function surveysSql({ now }) {
  const responses = [];
  const respondents = [];
  for (let i = 0; i < 42; i++) {
    const key = `nps-${i}`;
    const plan = PLANS[pick(`${key}:plan`, 3)];
    const daysAgo = 55 - Math.floor((i * 55) / 42) - pick(`${key}:jitter`, 2);
    const improve = daysAgo < 20 ? 2 : 0; // recent weeks skew higher
    const score = SCALE[plan][Math.min(9, pick(`${key}:score`, 10) + (pick(`${key}:up`, 3) < improve ? 1 : 0))];
    const band = bandOf(score);
    const comments = COMMENTS[band];
    const signedUpMonthsAgo = 1 + pick(`${key}:cohort`, 8);
    const at = now - daysAgo * DAY - pick(`${key}:h`, 10) * 3_600_000;
    const signedUp = now - signedUpMonthsAgo * 30 * DAY;
    const distinct = `user_${1000 + i}`;
    const followUp = score <= 6;
    responses.push({
      tenant_id: T,
      id: `nps_demo_${String(i).padStart(2, "0")}`,
      client_id: `seed-${i}`,
      distinct_id: distinct,
      score,
      comment: comments[pick(`${key}:c`, comments.length)],
      plan,
      signed_up_at: signedUp,
      cohort: new Date(signedUp).toISOString().slice(0, 7),
      traits: { company: ["Atelier Nord", "Kiln & Co", "Muddy Hands", "Clay Days"][pick(`${key}:co`, 4)] },
      page_url: "https://shop.demo.local/account",
      follow_up: followUp,
      // Older detractors have been called back; the last four weeks’ are still open.
      follow_up_done_at: followUp && daysAgo > 28 ? at + 2 * DAY : null,
      follow_up_done_by: followUp && daysAgo > 28 ? OWNER_ID : null,
      created_at: at,
    });
    respondents.push({ tenant_id: T, distinct_id: distinct, last_asked_at: at, last_outcome: "answered", dismissals: 0, updated_at: at });
  }
  for (let i = 0; i < 6; i++) {
    const at = now - (3 + i * 7) * DAY;
    respondents.push({
      tenant_id: T,
      distinct_id: `user_${2000 + i}`,
      last_asked_at: at,
      last_outcome: "dismissed",
      dismissals: 1,
      updated_at: at,
    });
  }
  const FEEDBACK = [
    [
      "bug",
      "open",
      1,
      "The cart total doesn't update when I change the quantity on my phone.",
      "ines@example.com",
      "/cart",
      ["cart", "mobile"],
    ],
    [
      "idea",
      "open",
      2,
      "Could you offer gift wrapping with a handwritten card?",
      "marco@example.com",
      "/products/celadon-mug",
      ["gifting"],
    ],
    [
      "question",
      "open",
      3,
      "Are the bowls dishwasher safe? The product page doesn't say.",
      "sofia@example.com",
      "/products/tenmoku-bowl",
      [],
    ],
    ["bug", "in_progress", 5, "Password reset email never arrives (checked spam).", "liam@example.com", "/login", ["auth"]],
    ["other", "open", 6, "Just wanted to say the packaging is lovely.", null, "/", []],
    [
      "idea",
      "in_progress",
      9,
      "A wishlist would be great — I keep losing track of pieces I like.",
      "ana@example.com",
      "/products",
      ["wishlist"],
    ],
    ["bug", "closed", 14, "Apple Pay button was missing in Safari.", "noah@example.com", "/checkout", ["checkout"]],
    ["question", "closed", 18, "Do you ship to Norway?", "emma@example.com", "/shipping", ["shipping"]],
    ["idea", "open", 23, "Dark mode for the shop, please!", null, "/", ["design"]],
    ["bug", "closed", 31, "Product photos load very slowly on 3G.", "yuki@example.com", "/products", ["performance", "mobile"]],
  ];
  const feedback = FEEDBACK.map(([category, status, daysAgo, message, email, path, tags], i) => ({
    tenant_id: T,
    id: `fb_demo_${String(i).padStart(2, "0")}`,
    client_id: `seed-fb-${i}`,
    category,
    message,
    page_url: `https://shop.demo.local${path}`,
    email,
    distinct_id: email ? `user_${3000 + i}` : null,
    user_agent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    status,
    assignee_id: status === "open" ? null : OWNER_ID,
    tags,
    screenshot_key: null,
    screenshot_type: null,
    screenshot_bytes: null,
    created_at: now - daysAgo * DAY,
    updated_at: now - Math.max(0, daysAgo - 1) * DAY,
  }));
  const replies = [
    {
      id: "fbr_demo_00",
      feedback: 3,
      days: 4,
      body: "Sorry about that! We found a delay at our email provider and fixed it — please try again.",
    },
    { id: "fbr_demo_01", feedback: 7, days: 17, body: "Yes, we ship to Norway (5–7 days). Shipping costs show at checkout." },
  ].map((r) => ({
    tenant_id: T,
    id: r.id,
    feedback_id: `fb_demo_${String(r.feedback).padStart(2, "0")}`,
    author_id: OWNER_ID,
    body: r.body,
    message_id: null,
    created_at: now - r.days * DAY,
  }));
  return [
    insert("survey_settings", [
      {
        tenant_id: T,
        nps_enabled: true,
        nps_question: null,
        min_days_since_signup: 14,
        ask_every_days: 90,
        sampling_percent: 100,
        feedback_enabled: true,
        notify_email: null,
        updated_at: now - 60 * DAY,
      },
    ]),
    insert("survey_nps_responses", responses),
    insert("survey_nps_respondents", respondents),
    insert("survey_feedback", feedback),
    insert("survey_feedback_replies", replies),
  ].join("\n");
}
