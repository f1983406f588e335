// What the demo community says (scripts/seed/forum.mjs turns it into rows). Demo Co is a small
// ceramics studio and shop: its customers ask about glazes, kilns, orders and care.

/** [key, name, description, colour, read access, topic access, questions, min trust to start topics] */
export const CATEGORIES = [
  ["announcements", "Announcements", "News from the Demo Co studio.", "#0f766e", "public", "staff", false, 0],
  [
    "questions",
    "Questions & answers",
    "Ask about orders, care and technique; mark the answer that helped.",
    "#6366f1",
    "public",
    "signed_in",
    true,
    0,
  ],
  [
    "glazes",
    "Glazes & techniques",
    "Recipes, firing schedules, what went right and what cracked.",
    "#f59e0b",
    "public",
    "signed_in",
    false,
    0,
  ],
  ["show-and-tell", "Show & tell", "Photos of your pieces and what you made with ours.", "#ec4899", "signed_in", "signed_in", false, 1],
  ["team", "Team lounge", "Staff and moderators only: notes on the community.", "#64748b", "staff", "staff", false, 0],
];

/**
 * Community members that are not among the portal's seeded customers (scripts/seed/endusers.mjs
 * has Maya, Tomáš, Aiko, Lucas and the blocked "Deals 4 U").
 * [id suffix, email, name, days ago joined]
 */
export const EXTRA_END_USERS = [
  ["jonas", "jonas.berg@example.com", "Jonas Berg", 3],
  ["sofia", "sofia.rossi@example.com", "Sofia Rossi", 52],
  ["kwame", "kwame.mensah@example.com", "Kwame Mensah", 38],
  ["outlet", "cheapglaze.outlet@example.net", "Cheap Glaze Outlet", 2],
];

/**
 * Members by key: end users (`eu_demo_<key>`) and staff (`usr_demo_<key>`, or `owner`).
 * [key, username, trust level, moderator]
 */
export const MEMBERS = [
  ["maya", "maya", 3, true],
  ["tomas", "tomas", 2, false],
  ["aiko", "aiko", 2, false],
  ["lucas", "lucas", 1, false],
  ["sofia", "sofia", 3, false],
  ["kwame", "kwame", 2, false],
  ["jonas", "jonas", 0, false],
  ["outlet", "cheapglaze", 0, false],
  ["spam", "deals4u", 0, false],
  ["owner", "demo-owner", 4, false],
  ["priya", "priya", 4, false],
  ["sam", "sam", 4, false],
];
export const STAFF = new Set(["owner", "priya", "sam"]);

/**
 * Topics, oldest first. Each: key, category, kind, author, days ago, title, views, body, replies
 * ([author, minutes after the topic, Markdown, reactions {reaction: [member keys]}, status?]),
 * `accepted` (index into replies), `pin`, `reactions` on the first post.
 */
export const TOPICS = [
  {
    key: "welcome",
    category: "announcements",
    kind: "discussion",
    author: "owner",
    daysAgo: 30,
    pin: "global",
    views: 412,
    title: "Welcome to the Demo Co community",
    body: "Hello and welcome! This is the place to **ask questions**, share what you made and swap glaze notes with other makers.\n\n- Questions go in *Questions & answers*: mark the reply that solved it.\n- Be kind; flag anything that is not.\n\nOur team reads every topic. — The Demo Co studio",
    reactions: { heart: ["maya", "sofia", "kwame", "aiko"], hooray: ["tomas"] },
    replies: [["sofia", 180, "So glad this exists. Hi everyone from Turin!", { like: ["maya", "owner"] }]],
  },
  {
    key: "shipping-eu",
    category: "questions",
    kind: "question",
    author: "tomas",
    daysAgo: 27,
    views: 96,
    title: "How long does shipping to the Czech Republic take?",
    body: "I ordered two celadon mugs on Monday. The confirmation says *3–5 days*; is that working days? Thanks!",
    replies: [
      [
        "priya",
        42,
        "Hi Tomáš! Yes, **working days**: parcels to the EU leave the studio within 48 hours and usually arrive 3–5 working days later. You get a tracking link by email as soon as it ships.",
        { like: ["tomas", "maya"] },
      ],
      ["tomas", 300, "Arrived today, beautifully packed. Thank you!", { heart: ["priya"] }],
    ],
    accepted: 0,
  },
  {
    key: "crazing",
    category: "glazes",
    kind: "discussion",
    author: "sofia",
    daysAgo: 25,
    views: 188,
    title: "Crazing on a clear glaze over stoneware",
    body: "My clear glaze crazes a week after firing to cone 6. Body is a buff stoneware.\n\nI already tried a slower cool. Ideas?",
    reactions: { eyes: ["kwame"] },
    replies: [
      [
        "kwame",
        95,
        "Crazing is almost always a **thermal expansion mismatch**: the glaze shrinks more than the body. Add silica (5% at a time) or swap some sodium feldspar for a lower-expansion flux.",
        { like: ["sofia", "maya", "aiko"] },
      ],
      ["maya", 240, "+1 to silica. Test tiles first: a ring test in ice water shows it in minutes instead of a week.", { like: ["sofia"] }],
      ["sofia", 1500, "10% more silica fixed it. Ice-water test passed three times. Thanks both!", { hooray: ["kwame", "maya"] }],
    ],
  },
  {
    key: "dishwasher",
    category: "questions",
    kind: "question",
    author: "aiko",
    daysAgo: 22,
    views: 143,
    title: "Are the tenmoku bowls dishwasher safe?",
    body: "The product page says *food safe*, but I could not find anything about the dishwasher.",
    replies: [
      ["lucas", 30, "I have put mine in the dishwasher for months, no problem so far.", {}],
      [
        "sam",
        65,
        "They are! Everything we sell is fired to cone 6 and **dishwasher and microwave safe**. The one exception is pieces with a gold lustre rim: hand wash those. We will add a line to the product pages.",
        { like: ["aiko", "lucas", "tomas"] },
      ],
    ],
    accepted: 1,
  },
  {
    key: "kiln-schedule",
    category: "glazes",
    kind: "discussion",
    author: "kwame",
    daysAgo: 19,
    views: 77,
    title: "My cone 6 firing schedule (with a slow cool)",
    body: "Sharing what works for me in a small electric kiln:\n\n```\n200 °C/h to 600 °C\n150 °C/h to 1185 °C, hold 10 min\ncool 80 °C/h to 1000 °C\n```\n\nThe slow cool gives the matte glazes their satin surface.",
    reactions: { like: ["sofia", "maya"] },
    replies: [
      ["maya", 600, "Saved. Does the hold help with pinholes for you?", {}],
      ["kwame", 720, "A lot. Ten minutes is enough in my kiln.", { like: ["maya"] }],
    ],
  },
  {
    key: "gift-cards",
    category: "announcements",
    kind: "discussion",
    author: "priya",
    daysAgo: 17,
    views: 230,
    title: "Gift cards are here",
    body: "You can now send a **digital gift card** from €25. It arrives by email on the date you pick and can be spent over several orders.",
    reactions: { hooray: ["maya", "aiko", "tomas"], heart: ["sofia"] },
    replies: [],
  },
  {
    key: "return",
    category: "questions",
    kind: "question",
    author: "lucas",
    daysAgo: 14,
    views: 58,
    title: "A mug arrived chipped — how do I return it?",
    body: "One of the two mugs in order #1007 has a chip on the rim. What is the best way to get a replacement?",
    replies: [
      [
        "priya",
        25,
        "Sorry about that, Lucas! No need to send it back: reply to your order confirmation with a photo and we ship a new one the same day.",
        { like: ["lucas"] },
      ],
      ["lucas", 90, "Done, thank you for the quick help.", {}],
    ],
    accepted: 0,
  },
  {
    key: "first-wheel",
    category: "show-and-tell",
    kind: "discussion",
    author: "maya",
    daysAgo: 12,
    views: 121,
    title: "My first set of bowls off the wheel",
    body: "Six months of practice and finally a matching set of four! Glazed in shino, fired at my local studio.",
    reactions: { heart: ["sofia", "kwame", "aiko", "tomas", "priya"], hooray: ["lucas"] },
    replies: [
      ["sofia", 60, "The shino carbon trap on the second one is gorgeous.", { like: ["maya"] }],
      ["priya", 200, "Beautiful work, Maya! Mind if we share a photo in the newsletter?", { like: ["maya"] }],
    ],
  },
  {
    key: "glaze-order",
    category: "questions",
    kind: "question",
    author: "kwame",
    daysAgo: 9,
    views: 49,
    title: "Can I order a single glaze colour as a sample?",
    body: "I would like to see the *ash* glaze in person before ordering a full set. Do you sell sample tiles?",
    replies: [["aiko", 180, "I asked the same in the chat last month: they sent me a photo, but I don't think there are tiles.", {}]],
  },
  {
    key: "mod-notes",
    category: "team",
    kind: "discussion",
    author: "priya",
    daysAgo: 8,
    views: 6,
    title: "Moderation notes for December",
    body: "Heads-up: we are seeing link spam from new accounts. New members' first post is held for approval (Settings → Moderation). Maya is now a moderator too.",
    replies: [["sam", 45, "Thanks. I will check the queue every morning.", {}]],
  },
  {
    key: "pinholes",
    category: "glazes",
    kind: "discussion",
    author: "aiko",
    daysAgo: 6,
    views: 64,
    title: "Pinholes in a matte white",
    body: "Little pinholes all over a matte white at cone 6. Bisque at cone 04. Could it be the clay?",
    replies: [
      [
        "kwame",
        80,
        "Try a hotter bisque (cone 03) so more organics burn out, and a 10-minute hold at peak (see my firing schedule topic).",
        { like: ["aiko"] },
      ],
      ["spam", 400, "BEST PRICES on glazes!!! visit cheap-deals-4-u.example.net for 90% off", {}, "hidden", "moderator"],
    ],
  },
  {
    key: "holiday",
    category: "announcements",
    kind: "discussion",
    author: "sam",
    daysAgo: 4,
    pin: "category",
    views: 95,
    title: "Holiday shipping dates",
    body: "Order by **December 16** for delivery before the holidays in the EU, December 12 for the UK and the US.",
    reactions: { like: ["maya", "lucas"] },
    replies: [],
  },
  {
    key: "engraving",
    category: "questions",
    kind: "question",
    author: "sofia",
    daysAgo: 3,
    views: 31,
    title: "Do you offer custom engraving on mugs?",
    body: "I would love a set with our family's initials for a wedding gift. Is that possible, and how long would it take?",
    replies: [
      ["maya", 140, "Not officially as far as I know, but the team did a logo for a café once, so worth asking!", { like: ["sofia"] }],
    ],
  },
  {
    key: "recycled-clay",
    category: "glazes",
    kind: "discussion",
    author: "lucas",
    daysAgo: 2,
    views: 22,
    title: "Reclaiming trimmings: worth it?",
    body: "I have buckets of trimmings. Is reclaiming them worth the effort for a hobbyist?",
    replies: [
      ["sofia", 120, "Absolutely. Slake dry, sieve, dry on plaster. I throw almost only reclaim now.", { like: ["lucas", "kwame"] }],
      ["outlet", 900, "Why bother? Buy clay at 80% off at cheap-glaze-outlet.example.net !!! best deal", {}],
    ],
  },
  {
    key: "mug-size",
    category: "questions",
    kind: "question",
    author: "jonas",
    daysAgo: 1,
    views: 12,
    title: "What is the capacity of the large celadon mug?",
    body: "Thinking of buying two. How many ml does the large one hold?",
    replies: [],
  },
];

/** A new member's first post held for approval, and one the AI check held (with its label and reason). */
export const HELD = [
  {
    topic: "mug-size",
    author: "jonas",
    minutes: 30,
    reason: "new-user",
    body: "Also, do they come in a gift box? Would be for my sister.",
  },
  {
    topic: "engraving",
    author: "outlet",
    minutes: 600,
    reason: "ai",
    body: "Engraving service cheap!! contact us on cheap-glaze-outlet.example.net/engrave",
    ai: { labels: ["spam", "promotion"], explanation: "Unsolicited promotion of an outside shop with a link; unrelated to the question." },
  },
];

/** Pending flags: [topic key, reply index, flagger, reason, note] */
export const FLAGS = [
  ["recycled-clay", 1, "maya", "spam", "Link spam from a new account"],
  ["recycled-clay", 1, "lucas", "spam", null],
  ["engraving", 0, "kwame", "off_topic", "Guessing, not answering"],
];
