/**
 * System templates for the platform's own messages. Logic-less `{{name}}` placeholders,
 * HTML-escaped in the html part; every email has a text part.
 */
import { INSIGHTS_TEMPLATES } from "./insights-templates";
import { renderString } from "./render";

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface EmailTemplate {
  subject: string;
  text: string;
  html: string;
}

const layout = (body: string) =>
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:560px;margin:24px auto;color:#111">${body}<p style="color:#666;font-size:12px;margin-top:32px">Sent by Weft</p></body></html>`;

const TEMPLATES: Record<string, EmailTemplate> = {
  "auth.verify_email": {
    subject: "Confirm your email for Weft",
    text: "Hi {{name}},\n\nConfirm your email address by opening this link:\n{{link}}\n\nThe link expires in 24 hours.",
    html: layout(
      '<p>Hi {{name}},</p><p>Confirm your email address:</p><p><a href="{{link}}">Confirm email</a></p><p>The link expires in 24 hours.</p>',
    ),
  },
  "auth.reset_password": {
    subject: "Reset your Weft password",
    text: "Hi {{name}},\n\nReset your password with this link:\n{{link}}\n\nIt expires in 1 hour. If you did not ask for this, ignore this email.",
    html: layout(
      '<p>Hi {{name}},</p><p><a href="{{link}}">Reset your password</a></p><p>It expires in 1 hour. If you did not ask for this, ignore this email.</p>',
    ),
  },
  "auth.password_changed": {
    subject: "Your Weft password was changed",
    text: "Hi {{name}},\n\nYour password was just changed. If this was not you, reset it now and contact your workspace owner.",
    html: layout(
      "<p>Hi {{name}},</p><p>Your password was just changed. If this was not you, reset it now and contact your workspace owner.</p>",
    ),
  },
  "tenancy.invitation": {
    subject: "{{inviter}} invited you to {{workspace}} on Weft",
    text: "{{inviter}} invited you to join {{workspace}} as {{role}}.\n\nAccept the invitation:\n{{link}}\n\nThe invitation expires in 7 days.",
    html: layout(
      '<p><strong>{{inviter}}</strong> invited you to join <strong>{{workspace}}</strong> as {{role}}.</p><p><a href="{{link}}">Accept the invitation</a></p><p>The invitation expires in 7 days.</p>',
    ),
  },
  "billing.quota_warning": {
    subject: "{{workspace}} has used {{percent}}% of its {{meter}} limit",
    text: "{{workspace}} has used {{used}} of {{limit}} {{meter}} ({{percent}}%) on the {{plan}} plan this period.\n\nUpgrade to keep going without interruption:\n{{link}}",
    html: layout(
      '<p><strong>{{workspace}}</strong> has used {{used}} of {{limit}} {{meter}} ({{percent}}%) on the {{plan}} plan this period.</p><p><a href="{{link}}">Review plans and upgrade</a></p>',
    ),
  },
  "billing.quota_reached": {
    subject: "{{workspace}} reached its {{meter}} limit",
    text: "{{workspace}} has used all {{limit}} {{meter}} included in the {{plan}} plan. Further {{meter}} are refused until the next period or an upgrade.\n\nUpgrade now:\n{{link}}",
    html: layout(
      '<p><strong>{{workspace}}</strong> has used all {{limit}} {{meter}} included in the {{plan}} plan. Further {{meter}} are refused until the next period or an upgrade.</p><p><a href="{{link}}">Upgrade now</a></p>',
    ),
  },
  "billing.payment_failed": {
    subject: "Payment failed for {{workspace}}",
    text: "We could not collect {{amount}} for {{workspace}} ({{plan}} plan). Update your payment method before {{grace_ends}} to keep your plan; after that the workspace is limited to Free.\n\n{{link}}",
    html: layout(
      '<p>We could not collect <strong>{{amount}}</strong> for <strong>{{workspace}}</strong> ({{plan}} plan).</p><p>Update your payment method before {{grace_ends}} to keep your plan; after that the workspace is limited to Free.</p><p><a href="{{link}}">Update payment method</a></p>',
    ),
  },
  "billing.restricted": {
    subject: "{{workspace}} is now limited to Free",
    text: "The payment for {{workspace}} is still outstanding, so the workspace is limited to the Free plan's limits. Pay the open invoice to restore the {{plan}} plan.\n\n{{link}}",
    html: layout(
      '<p>The payment for <strong>{{workspace}}</strong> is still outstanding, so the workspace is limited to the Free plan\'s limits.</p><p><a href="{{link}}">Pay the open invoice</a> to restore the {{plan}} plan.</p>',
    ),
  },
  "billing.payment_restored": {
    subject: "Payment received: {{workspace}} is back on {{plan}}",
    text: "Thanks: the payment for {{workspace}} went through and the {{plan}} plan is fully available again.\n\n{{link}}",
    html: layout(
      '<p>Thanks: the payment for <strong>{{workspace}}</strong> went through and the {{plan}} plan is fully available again.</p><p><a href="{{link}}">Open billing</a></p>',
    ),
  },
  "billing.trial_ending": {
    subject: "The {{plan}} trial of {{workspace}} ends {{trial_ends}}",
    text: "The {{plan}} trial of {{workspace}} ends {{trial_ends}}. Add a payment method to keep the plan; otherwise the workspace returns to Free.\n\n{{link}}",
    html: layout(
      '<p>The {{plan}} trial of <strong>{{workspace}}</strong> ends {{trial_ends}}.</p><p><a href="{{link}}">Add a payment method</a> to keep the plan; otherwise the workspace returns to Free.</p>',
    ),
  },
  "chat.offline_message": {
    subject: "New chat message from {{name}} ({{workspace}})",
    text: "{{name}} <{{email}}> left a message while nobody was online:\n\n{{message}}\n\nPage: {{page}}\nReply from the inbox: {{link}}",
    html: layout(
      '<p><strong>{{name}}</strong> &lt;{{email}}&gt; left a message while nobody was online:</p><blockquote style="border-left:3px solid #ddd;margin:0;padding-left:12px;white-space:pre-wrap">{{message}}</blockquote><p style="color:#666">Page: {{page}}</p><p><a href="{{link}}">Open the conversation</a></p>',
    ),
  },
  ...INSIGHTS_TEMPLATES,
};

export function isTemplate(name: string): boolean {
  return name in TEMPLATES;
}

/** The code-defined default of a platform template (tenants may override it per channel in D1). */
export function systemEmailTemplate(name: string): EmailTemplate | null {
  return TEMPLATES[name] ?? null;
}

export function systemTemplateNames(): string[] {
  return Object.keys(TEMPLATES);
}

export function renderEmail(name: string, data: Record<string, unknown>): RenderedEmail {
  const t = TEMPLATES[name];
  if (!t) throw new Error(`Unknown template ${name}`);
  return {
    subject: renderString(t.subject, data, "text"),
    text: renderString(t.text, data, "text"),
    html: renderString(t.html, data, "html"),
  };
}
