import type { EmailTemplate } from "./templates";

const layout = (body: string) =>
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:560px;margin:24px auto;color:#111">${body}<p style="color:#666;font-size:12px;margin-top:32px">Sent by Weft</p></body></html>`;

/** System templates owned by the messaging module (the platform's others live in templates.ts). */
export const MESSAGING_TEMPLATES: Record<string, EmailTemplate> = {
  "lists.confirm_subscription": {
    subject: "Confirm your subscription to {{list}}",
    text: "Please confirm that you want to receive {{list}} from {{workspace}}:\n{{link}}\n\nIf you did not ask for this, ignore this email and you will not be subscribed.",
    html: layout(
      '<p>Please confirm that you want to receive <strong>{{list}}</strong> from {{workspace}}.</p><p><a href="{{link}}">Yes, subscribe me</a></p><p>If you did not ask for this, ignore this email and you will not be subscribed.</p>',
    ),
  },
  "webhooks.endpoint_disabled": {
    subject: "Webhook endpoint disabled for {{workspace}}",
    text: "We disabled the webhook endpoint {{url}} of {{workspace}} after {{failures}} failed deliveries in a row (last error: {{error}}).\n\nFix the endpoint, then re-enable it in the dashboard:\n{{link}}",
    html: layout(
      '<p>We disabled the webhook endpoint <code>{{url}}</code> of <strong>{{workspace}}</strong> after {{failures}} failed deliveries in a row.</p><p>Last error: {{error}}</p><p><a href="{{link}}">Review and re-enable the endpoint</a></p>',
    ),
  },
  "commerce.receipt": {
    subject: "Your receipt from {{workspace}} ({{order}})",
    text: "Thank you for your order {{order}}.\n\n{{items}}\n\nTotal paid: {{total}}\nDate: {{date}}\n\nView your order: {{link}}",
    html: layout(
      '<p>Thank you for your order <strong>{{order}}</strong>.</p><pre style="font:inherit;white-space:pre-wrap">{{items}}</pre><p>Total paid: <strong>{{total}}</strong><br>Date: {{date}}</p><p><a href="{{link}}">View your order</a> (downloads are there too)</p>',
    ),
  },
  // A staff reply to an end user's support ticket (modules/endusers + tickets); the in-app notification
  // is the subject and the first paragraph (the reply's excerpt).
  "tickets.reply": {
    subject: "{{agent}} replied to your request #{{number}}: {{subject}}",
    text: "{{excerpt}}\n\nRead the whole reply and answer it in your account at {{site}}:\n{{link}}",
    html: layout(
      '<p><strong>{{agent}}</strong> replied to your request <strong>#{{number}} {{subject}}</strong>:</p><blockquote style="border-left:3px solid #ddd;margin:0;padding-left:12px">{{excerpt}}</blockquote><p><a href="{{link}}">Read the whole reply and answer it</a></p>',
    ),
  },
  "commerce.shipped": {
    subject: "Your order {{order}} from {{workspace}} is on its way",
    text: "Good news: items of your order {{order}} have shipped.\n\nCarrier: {{carrier}}\nTracking number: {{tracking_number}}\n{{tracking_url}}\n\nView your order: {{link}}",
    html: layout(
      '<p>Good news: items of your order <strong>{{order}}</strong> have shipped.</p><p>Carrier: {{carrier}}<br>Tracking number: <strong>{{tracking_number}}</strong><br><a href="{{tracking_url}}">Track the parcel</a></p><p><a href="{{link}}">View your order</a></p>',
    ),
  },
  "commerce.refunded": {
    subject: "A refund for your order {{order}} from {{workspace}}",
    text: "We refunded {{amount}} for your order {{order}}.\n\nIt can take a few days to show on your statement.\n\nView your order: {{link}}",
    html: layout(
      '<p>We refunded <strong>{{amount}}</strong> for your order <strong>{{order}}</strong>.</p><p>It can take a few days to show on your statement.</p><p><a href="{{link}}">View your order</a></p>',
    ),
  },
  // Subscriptions sold through commerce (commerce/subscriptions.notices.ts); {{link}} is the portal's subscriptions page.
  "commerce.subscription_renewed": {
    subject: "Your {{subscription}} subscription with {{workspace}} renewed",
    text: "We charged {{amount}} for your subscription {{subscription}} ({{price}}).\n\nIt now runs until {{period_end}}.\n\nSee or cancel your subscriptions: {{link}}",
    html: layout(
      '<p>We charged <strong>{{amount}}</strong> for your subscription <strong>{{subscription}}</strong> ({{price}}).</p><p>It now runs until {{period_end}}.</p><p><a href="{{link}}">See or cancel your subscriptions</a></p>',
    ),
  },
  "commerce.subscription_payment_failed": {
    subject: "Payment for your {{subscription}} subscription with {{workspace}} failed",
    text: "We could not charge {{amount}} for your subscription {{subscription}} ({{price}}). We will try again; please check your payment method.\n\nYour subscriptions: {{link}}",
    html: layout(
      '<p>We could not charge <strong>{{amount}}</strong> for your subscription <strong>{{subscription}}</strong> ({{price}}). We will try again; please check your payment method.</p><p><a href="{{link}}">Your subscriptions</a></p>',
    ),
  },
  "commerce.subscription_canceled": {
    subject: "Your {{subscription}} subscription with {{workspace}}",
    text: "Your subscription {{subscription}} ({{price}}): {{state}}\n\nYour subscriptions: {{link}}",
    html: layout(
      '<p>Your subscription <strong>{{subscription}}</strong> ({{price}}): {{state}}</p><p><a href="{{link}}">Your subscriptions</a></p>',
    ),
  },
  // End users of a workspace's portal (modules/endusers): {{site}} is the portal's brand name.
  "endusers.sign_in": {
    subject: "Your sign-in code for {{site}}: {{code}}",
    text: "Open this link to sign in to {{site}}:\n{{link}}\n\nOr enter the code {{code}}.\n\nBoth work once and expire in {{minutes}} minutes. If you did not ask to sign in, ignore this email.",
    html: layout(
      '<p><a href="{{link}}">Sign in to {{site}}</a></p><p>Or enter the code <strong style="font-size:20px;letter-spacing:3px">{{code}}</strong></p><p>Both work once and expire in {{minutes}} minutes. If you did not ask to sign in, ignore this email.</p>',
    ),
  },
  "endusers.invitation": {
    subject: "{{site}} invited you to your account",
    text: "{{site}} created an account for you. Open this link to sign in:\n{{link}}\n\nThe link works once and expires in 7 days.",
    html: layout(
      '<p><strong>{{site}}</strong> created an account for you.</p><p><a href="{{link}}">Sign in</a></p><p>The link works once and expires in 7 days.</p>',
    ),
  },
  "endusers.verify_email": {
    subject: "Confirm your email for {{site}}",
    text: "Hi {{name}},\n\nConfirm your email address for {{site}} by opening this link:\n{{link}}\n\nThe link expires in 24 hours.",
    html: layout('<p>Hi {{name}},</p><p><a href="{{link}}">Confirm your email for {{site}}</a></p><p>The link expires in 24 hours.</p>'),
  },
  "endusers.change_email": {
    subject: "Confirm your new email for {{site}}",
    text: "Hi {{name}},\n\nConfirm that {{email}} is your new email address for {{site}}:\n{{link}}\n\nThe link expires in 24 hours. Until then your old address stays in use.",
    html: layout(
      '<p>Hi {{name}},</p><p><a href="{{link}}">Confirm {{email}} as your new email for {{site}}</a></p><p>The link expires in 24 hours. Until then your old address stays in use.</p>',
    ),
  },
  "endusers.reset_password": {
    subject: "Reset your password for {{site}}",
    text: "Hi {{name}},\n\nReset your password for {{site}} with this link:\n{{link}}\n\nIt expires in 1 hour. If you did not ask for this, ignore this email.",
    html: layout(
      '<p>Hi {{name}},</p><p><a href="{{link}}">Reset your password for {{site}}</a></p><p>It expires in 1 hour. If you did not ask for this, ignore this email.</p>',
    ),
  },
  "messaging.test": {
    subject: "Test message from {{workspace}}",
    text: "This is a test message sent from the {{workspace}} dashboard on {{date}}.",
    html: layout("<p>This is a test message sent from the <strong>{{workspace}}</strong> dashboard on {{date}}.</p>"),
  },
  "surveys.nps_detractor": {
    subject: "NPS detractor: {{user}} scored {{score}} ({{workspace}})",
    text: "{{user}} ({{plan}} plan) answered {{score}} out of 10 to your NPS survey.\n\nComment: {{comment}}\n\nThe response is flagged for follow-up; mark it done once someone has reached out:\n{{link}}",
    html: layout(
      '<p><strong>{{user}}</strong> ({{plan}} plan) answered <strong>{{score}}</strong> out of 10 to your NPS survey.</p><blockquote style="border-left:3px solid #ddd;margin:0;padding-left:12px;white-space:pre-wrap">{{comment}}</blockquote><p>The response is flagged for follow-up; mark it done once someone has reached out.</p><p><a href="{{link}}">Open the NPS results</a></p>',
    ),
  },
  "surveys.feedback_reply": {
    subject: "Re: your feedback to {{workspace}}",
    text: "{{reply}}\n\n---\nYou wrote: {{feedback}}",
    html: layout(
      '<p style="white-space:pre-wrap">{{reply}}</p><hr style="border:0;border-top:1px solid #ddd"><p style="color:#666;white-space:pre-wrap">You wrote: {{feedback}}</p>',
    ),
  },
  "analytics.churn_recovery_1": {
    subject: "We miss you at {{workspace}}",
    text: "Hi {{name}},\n\nWe noticed you haven't been around {{workspace}} much lately. Is anything getting in your way? Just reply to this email and tell us: a person reads every answer.\n\n{{link}}",
    html: layout(
      '<p>Hi {{name}},</p><p>We noticed you haven\'t been around <strong>{{workspace}}</strong> much lately. Is anything getting in your way? Just reply to this email and tell us: a person reads every answer.</p><p><a href="{{link}}">Pick up where you left off</a></p>',
    ),
  },
  "analytics.churn_recovery_2": {
    subject: "A few things you can do with {{workspace}}",
    text: "Hi {{name}},\n\nIn case you missed them, here is what people get most out of {{workspace}}. If something didn't work for you, reply and we'll help.\n\n{{link}}",
    html: layout(
      "<p>Hi {{name}},</p><p>In case you missed them, here is what people get most out of <strong>{{workspace}}</strong>. If something didn't work for you, reply and we'll help.</p><p><a href=\"{{link}}\">See what's new</a></p>",
    ),
  },
  "analytics.churn_recovery_3": {
    subject: "Should we keep your {{workspace}} account?",
    text: "Hi {{name}},\n\nThis is our last note: if {{workspace}} isn't for you right now, no hard feelings. If it is, your account is right where you left it.\n\n{{link}}",
    html: layout(
      '<p>Hi {{name}},</p><p>This is our last note: if <strong>{{workspace}}</strong> isn\'t for you right now, no hard feelings. If it is, your account is right where you left it.</p><p><a href="{{link}}">Open {{workspace}}</a></p>',
    ),
  },
  "analytics.upgrade_prompt": {
    subject: "You're at {{percent}}% of your {{meter}} limit on {{workspace}}",
    text: "Hi {{name}},\n\nYou've used {{used}} of the {{limit}} {{meter}} your {{plan}} plan includes. To keep going without interruption, move to a plan with more room:\n\n{{link}}\n\nQuestions? Just reply to this email.",
    html: layout(
      '<p>Hi {{name}},</p><p>You\'ve used <strong>{{used}}</strong> of the <strong>{{limit}}</strong> {{meter}} your {{plan}} plan includes. To keep going without interruption, move to a plan with more room.</p><p><a href="{{link}}">See plans</a></p><p>Questions? Just reply to this email.</p>',
    ),
  },
  // The community forum (modules/forum): a reply, mention, quote or accepted answer ({{what}} says which),
  // and the digest of new topics; {{site}} is the community's title.
  "forum.notification": {
    subject: "{{actor}} {{what}}: {{topic}}",
    text: "{{excerpt}}\n\nOpen the topic on {{site}}:\n{{link}}",
    html: layout(
      '<p><strong>{{actor}}</strong> {{what}}: <strong>{{topic}}</strong></p><blockquote style="border-left:3px solid #ddd;margin:0;padding-left:12px">{{excerpt}}</blockquote><p><a href="{{link}}">Open the topic</a></p>',
    ),
  },
  "forum.digest": {
    subject: "What's new on {{site}}: {{count}} topics",
    text: "New on {{site}} since your last digest:\n\n{{topics}}\n\nVisit the community: {{link}}",
    html: layout(
      '<p>New on <strong>{{site}}</strong> since your last digest:</p><pre style="font:inherit;white-space:pre-wrap">{{topics}}</pre><p><a href="{{link}}">Visit the community</a></p>',
    ),
  },
  // Outreach sequences (modules/outreach): one person writing to another, so plain text first and no chrome.
  "outreach.email": {
    subject: "{{subject}}",
    text: "{{body}}",
    // {{{tracking_pixel}}}: outreach's open-tracking <img> (built and escaped by outreach/opens.ts; empty when not sent).
    html: '<div style="font-family:sans-serif;font-size:14px;line-height:1.5;white-space:pre-wrap">{{body}}</div>{{{tracking_pixel}}}',
  },
  "notifications.generic": {
    subject: "{{title}}",
    text: "{{body}}\n\n{{link}}",
    html: layout('<p><strong>{{title}}</strong></p><p>{{body}}</p><p><a href="{{link}}">Open</a></p>'),
  },
};
