// The demo workspace's content: "Demo Co", a small studio selling handmade ceramics online (the same
// shop web/widget/demo-site.mjs serves). People are fictional; teammates sign in on @demo.weft.local,
// customers and subscribers are on example.com. Offsets are days before "now" (the seed's clock).

/** Teammates besides the owner (DEMO in ../seed.mjs); all sign in with the demo password. Lena joined as a viewer and was made a member later. */
export const TEAMMATES = [
  { id: "usr_demo_priya", email: "priya@demo.weft.local", name: "Priya Shah", role: "admin", joinedDaysAgo: 80 },
  { id: "usr_demo_sam", email: "sam@demo.weft.local", name: "Sam Okafor", role: "member", joinedDaysAgo: 61 },
  { id: "usr_demo_lena", email: "lena@demo.weft.local", name: "Lena Fischer", role: "member", invitedAs: "viewer", joinedDaysAgo: 45 },
  { id: "usr_demo_tom", email: "tom@demo.weft.local", name: "Tom Becker", role: "viewer", joinedDaysAgo: 20 },
];

/** Still open: counts against the seats like every pending invitation (expires 7 days after it was sent). */
export const PENDING_INVITE = { id: "inv_demo_jordan", email: "jordan@demo.weft.local", role: "member", sentDaysAgo: 2 };
/** Sent and revoked again (shows in the invitations tab's history). */
export const REVOKED_INVITE = { id: "inv_demo_alex", email: "alex@demo.weft.local", role: "admin", sentDaysAgo: 16, revokedDaysAgo: 15 };

/** Customers: order e-mails, chat visitors and newsletter subscribers. */
export const CUSTOMERS = [
  { name: "Maya Chen", email: "maya.chen@example.com" },
  { name: "Daniel Ortiz", email: "daniel.ortiz@example.com" },
  { name: "Aiko Tanaka", email: "aiko@tanaka-interiors.example.com" },
  { name: "Grace Miller", email: "grace.miller@example.com" },
  { name: "Oliver Brown", email: "oliver.brown@example.com" },
  { name: "Sofia Rossi", email: "sofia.rossi@example.com" },
  { name: "Noah Williams", email: "noah.w@example.com" },
  { name: "Emma Johansson", email: "emma.johansson@example.com" },
  { name: "Lucas Martin", email: "lucas.martin@example.com" },
  { name: "Hannah Klein", email: "hannah.klein@example.com" },
  { name: "Ravi Patel", email: "ravi.patel@example.com" },
  { name: "Chloe Dubois", email: "chloe.dubois@example.com" },
];

// ---------------------------------------------------------------- knowledge (indexed through the API)

const SHIPPING = `# Shipping policy

## Processing time
Every order is packed by hand in our studio. Orders leave the studio within **2 business days**
(made-to-order pieces within 3 weeks; the product page says which). You get an email with the
tracking link as soon as the parcel is handed to the carrier.

## Domestic shipping (United States)
Standard shipping takes 3–5 business days and costs $6.50; it is free on orders over $75.
Express shipping takes 1–2 business days and costs $18.

## International shipping
We ship to Canada, the United Kingdom, the European Union, Australia and Japan.
Delivery to Canada usually takes 5–8 business days, to Europe and the UK 6–10 business days,
to Australia and Japan 8–14 business days. International shipping costs $24 per order.
Import duties and taxes are collected by the carrier on delivery and are not included in our prices.

## Tracking your order
The tracking link is in the shipping confirmation email ("Your Demo Co order is on its way").
You can also find it on your order page. Tracking usually starts updating within 24 hours.

## Packaging
Every piece is wrapped in recycled paper and packed in a double-walled box with corrugated inserts.
We do not use plastic foam.
`;

const RETURNS = `# Returns and refunds

## 30-day returns
Returns are free within **30 days** of delivery for unused pieces in their original packaging.
Start a return from your order page and print the prepaid label; drop the parcel at any carrier
location. Refunds go back to the original payment method within 5 business days of the return
arriving at the studio.

## Gifts
Received a piece as a gift? Gift recipients can return it for store credit within 30 days, with the
order number from the gift note. The buyer is not told about the return.

## Damaged or broken pieces
If a mug, bowl or plate in your order arrives cracked or broken, send us a photo of the piece and the
box within 7 days of delivery, in the chat or as a reply to your order email. We send a replacement at
no cost (or a full
refund if the glaze is sold out) — you do not need to send the broken piece back.

## Made-to-order and seconds
Made-to-order pieces and items from the seconds sale are final sale, except when they arrive damaged.

## Exchanges
We do not do direct exchanges: return the piece for a refund and place a new order.
`;

const CARE = `# Caring for your ceramics

## Dishwasher and microwave
All our mugs, bowls and plates are stoneware fired to 1240 °C and are **dishwasher safe** and
**microwave safe**. Pieces with a gold or platinum lustre rim are the exception: wash them by hand and
keep them out of the microwave.

## Oven and freezer
Stoneware can go in the oven up to 220 °C, but avoid sudden temperature changes: do not move a piece
from the freezer into a hot oven, and do not pour boiling water into a cold piece.

## Stains and marks
Grey marks from cutlery on matte glazes come off with a little baking soda paste or a
cream cleanser. Tea and coffee stains come off with a soak in warm water and baking soda.

## Crazing
Fine lines in a glossy glaze (crazing) are part of how some glazes age; they do not affect food safety
on our stoneware.
`;

const WHOLESALE = `# Wholesale and custom orders

## Wholesale
Shops, cafés and restaurants can order at wholesale prices (40% off retail) from a minimum of
24 pieces per order. Lead time is 4–6 weeks. Apply with the wholesale form on our website, with your
shop's name and address.

## Custom glazes and logos
We make custom colours and stamped logos for orders of 50 pieces or more. A first sample costs $120
and is credited against the order.

## Payment terms
Wholesale invoices are due within 30 days. First orders are paid in advance.
`;

const ABOUT = `# About Demo Co

Demo Co is a two-wheel pottery studio in Portland, Oregon, founded in 2019. Every piece is thrown,
trimmed and glazed by hand by our team of four potters, in small batches, so no two pieces are exactly
alike.

## Opening hours
The studio shop is open Thursday to Saturday, 11:00–18:00 (Pacific time). Online support answers
Monday to Friday, 9:00–17:00.

## Contact
Use the chat on our website or the contact form; we answer within one business day.
`;

/** Uploaded by Priya as Markdown files (title, collection, file name, text; dated `daysAgo` afterwards). */
export const KNOWLEDGE_FILES = [
  { title: "Shipping policy", collection: "policies", file: "shipping-policy.md", text: SHIPPING, daysAgo: 74 },
  { title: "Returns and refunds", collection: "policies", file: "returns-and-refunds.md", text: RETURNS, daysAgo: 74 },
  { title: "Caring for your ceramics", collection: "help-center", file: "ceramics-care.md", text: CARE, daysAgo: 72 },
  { title: "Wholesale and custom orders", collection: "policies", file: "wholesale.md", text: WHOLESALE, daysAgo: 57 },
  { title: "About Demo Co", collection: "help-center", file: "about.md", text: ABOUT, daysAgo: 71 },
];

/** FAQ entries written by Lena (the source title is the question). */
export const KNOWLEDGE_FAQS = [
  {
    question: "Do you ship internationally?",
    answer:
      "Yes: to Canada, the UK, the EU, Australia and Japan, for a flat $24 per order. Canada takes 5–8 business days, Europe 6–10. Duties are collected by the carrier on delivery.",
    daysAgo: 40,
  },
  {
    question: "Are the mugs dishwasher and microwave safe?",
    answer:
      "Yes, all stoneware mugs, bowls and plates are dishwasher and microwave safe. Only pieces with a gold or platinum lustre rim must be washed by hand and kept out of the microwave.",
    daysAgo: 39,
  },
  {
    question: "How do I track my order?",
    answer:
      "The tracking link is in the shipping confirmation email and on your order page. It starts updating within 24 hours of the parcel leaving the studio.",
    daysAgo: 33,
  },
  {
    question: "Can I change the address or cancel my order?",
    answer:
      "Orders can be changed or cancelled until they ship (usually within 2 business days). Ask us in the chat with your order number.",
    daysAgo: 26,
  },
  {
    question: "Do you offer gift wrapping?",
    answer:
      "Yes: tick 'Gift wrap' at checkout ($4 per order). The piece is wrapped in linen paper with a handwritten note, and the packing slip shows no prices.",
    daysAgo: 12,
  },
  {
    question: "What if my order arrives damaged?",
    answer:
      "Send us a photo of the piece and the box within 7 days of delivery (in the chat or as a reply to your order email) and we send a replacement at no cost; you don't need to return the broken piece.",
    daysAgo: 5,
  },
];

/** Knowledge search queries the demo check expects to find (query → title of the expected top source). */
export const KNOWLEDGE_PROBES = [
  { q: "how long does shipping to Canada take", title: /Shipping policy|ship internationally/ },
  { q: "dishwasher safe mug", title: /Caring for your ceramics|dishwasher/ },
];

// ---------------------------------------------------------------- chat (run through the widget's public API)

const page = (path) => `https://shop.demo.weft.local${path}`;

/**
 * Conversations, each run once per workspace like a real visitor would: `say` lines go over the
 * visitor's WebSocket (the AI answers while the conversation is open), `handoff` asks for a person,
 * `agent` lines are replies through the agent API by the named teammate (which assigns it to them),
 * `close` is the agent closing, `end` the visitor ending, `rate` the visitor's CSAT.
 */
export const CHAT_SCENARIOS = [
  {
    key: "open-ai",
    visitor: CUSTOMERS[0],
    page: page("/products/speckled-mug"),
    steps: [{ say: "Hi! Do you ship to Canada? How long does it usually take?" }, { say: "And are the speckled mugs dishwasher safe?" }],
  },
  {
    key: "waiting-handoff",
    visitor: CUSTOMERS[1],
    page: page("/orders/1042"),
    steps: [
      { say: "One of the bowls in my order #1042 arrived cracked. What should I do?" },
      { handoff: true },
      { say: "Thanks! I'd prefer a replacement rather than a refund. Can I send the photos here?" },
    ],
  },
  {
    key: "waiting-offline",
    visitor: CUSTOMERS[2],
    page: page("/wholesale"),
    offline:
      "Hello, I run a small interior design shop in Seattle. Could you send me your wholesale price list and lead times for about 60 mugs with our logo stamped on them? Thanks, Aiko",
  },
  {
    key: "assigned",
    visitor: CUSTOMERS[3],
    page: page("/orders/1057"),
    steps: [
      { say: "Can I still change the delivery address of my order? It's #1057." },
      { handoff: true },
      {
        agent: "sam",
        text: "Hi Grace, I'm Sam from the studio. Your order hasn't shipped yet, so I can still change the address for you. What's the new one?",
      },
      { say: "Great, thank you! It's 42 Harbour Street, Portland, ME 04101." },
    ],
  },
  {
    key: "closed-rated",
    visitor: CUSTOMERS[4],
    page: page("/products/serving-bowl"),
    steps: [
      { say: "I received a serving bowl as a gift. Can I return it?" },
      { handoff: true },
      {
        agent: "priya",
        text: "Hi Oliver! Yes: gift recipients can return a piece for store credit within 30 days. I've emailed you a prepaid label for the bowl.",
      },
      { say: "That was quick, thanks a lot!" },
      { agent: "priya", text: "You're welcome! The credit shows up as soon as the parcel is scanned. Have a lovely week." },
      { close: "priya" },
      { rate: 5, comment: "Super quick and friendly, thanks Priya!" },
    ],
  },
  {
    key: "closed-ai",
    visitor: CUSTOMERS[5],
    page: page("/products/espresso-cups"),
    steps: [{ say: "Do you offer gift wrapping?" }, { end: true }, { rate: 4, comment: "Got my answer right away." }],
  },
];

// ---------------------------------------------------------------- messaging (history, stored directly)

export const ORDER_EMAILS = [
  { id: "msg_demo_order1031", customer: 6, order: "#1031", daysAgo: 26 },
  { id: "msg_demo_order1036", customer: 7, order: "#1036", daysAgo: 19 },
  { id: "msg_demo_order1039", customer: 8, order: "#1039", daysAgo: 12 },
  { id: "msg_demo_order1042", customer: 1, order: "#1042", daysAgo: 4 },
  { id: "msg_demo_order1044", customer: 9, order: "#1044", daysAgo: 3 },
  { id: "msg_demo_order1048", customer: 0, order: "#1048", daysAgo: 1 },
];
export const ORDER_SMS = [
  { id: "msg_demo_sms1039", phone: "+15035550142", order: "#1039", daysAgo: 12 },
  { id: "msg_demo_sms1044", phone: "+15035550187", order: "#1044", daysAgo: 3 },
];

export const LISTS = [
  {
    id: "lst_demo_newsletter",
    name: "Studio newsletter",
    description: "Monthly notes from the studio: new glazes, kiln openings and the seconds sale.",
    doubleOptIn: true,
    createdDaysAgo: 70,
    // [customer index, status, days ago]
    subscribers: [
      [0, "subscribed", 66],
      [4, "subscribed", 60],
      [5, "subscribed", 52],
      [6, "subscribed", 47],
      [7, "subscribed", 40],
      [8, "subscribed", 33],
      [9, "subscribed", 25],
      [10, "subscribed", 18],
      [11, "unsubscribed", 30],
      [3, "pending", 1],
    ],
  },
  {
    id: "lst_demo_wholesale",
    name: "Wholesale updates",
    description: "Lead times and new wholesale pieces, for shops and cafés.",
    doubleOptIn: true,
    createdDaysAgo: 38,
    subscribers: [
      [2, "subscribed", 30],
      [10, "subscribed", 22],
    ],
  },
];

/** Newsletter broadcasts to the subscribers confirmed at the time. */
export const BROADCASTS = [
  { id: "bat_demo_october", list: "lst_demo_newsletter", month: "Autumn glazes", daysAgo: 29 },
  { id: "bat_demo_november", list: "lst_demo_newsletter", month: "The seconds sale", daysAgo: 8 },
];

/** Events delivered to the shop backend's webhook endpoint besides invoice.paid (which follows the invoices). */
export const WEBHOOK_MEMBER_EVENTS = [
  { id: "evt_demo_joined_lena", type: "member.joined", user: "usr_demo_lena" },
  { id: "evt_demo_joined_tom", type: "member.joined", user: "usr_demo_tom" },
];
