import { z } from "@hono/zod-openapi";
import { PROVIDERS } from "../../../schema/messaging";
import { getDb } from "../../platform/db";
import { badRequest, notFound, Problem } from "../../platform/errors";
import { createRouter, defineRoute, jsonResponse, problemDoc } from "../../platform/router";
import { applyProviderEvents, callbackAccount } from "./callbacks.service";
import { parsePostmark, parseResend, parseSendGrid, parseTwilio, type ProviderEvent } from "./callbacks/parse";
import { verifyBasicAuth, verifyResend, verifySendGrid, verifyTwilio } from "./callbacks/verify";

/** Providers' delivery/bounce callbacks (mounted at /webhooks): verified before the body is parsed. */
export const messagingCallbackRoutes = createRouter();

const invalid = (reason: string) =>
  new Problem(401, "invalid-signature", "Invalid signature", `The callback could not be verified (${reason}).`);
const notConfigured = (what: string) =>
  new Problem(
    401,
    "callback-not-configured",
    "Callback not configured",
    `No ${what} is configured for this account, so its callbacks cannot be verified.`,
  );
const MAX_BODY = 1_000_000;

messagingCallbackRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/messaging/{provider}/{account}",
      tags: ["Webhooks"],
      summary: "Delivery events from Resend (Svix signature), SendGrid (ECDSA), Postmark (basic auth) and Twilio (X-Twilio-Signature)",
      description:
        "`account` is `platform` (the platform's keys) or the id of a workspace's provider account. Each event is stored once by its provider event id; statuses only move forward (sent → delivered → bounced/failed/complained); hard bounces and complaints suppress the address.",
      request: {
        params: z.object({
          provider: z.enum(PROVIDERS).openapi({ param: { name: "provider", in: "path" } }),
          account: z
            .string()
            .min(1)
            .max(64)
            .openapi({ param: { name: "account", in: "path" }, example: "platform" }),
        }),
      },
      responses: {
        200: jsonResponse(
          z
            .object({ received: z.number().int(), applied: z.number().int(), duplicates: z.number().int(), unmatched: z.number().int() })
            .openapi("ProviderCallbackAck"),
          "Stored",
        ),
        401: problemDoc("Signature or credentials missing or wrong"),
        404: problemDoc("Unknown account"),
      },
    },
  ),
  async (c) => {
    const { provider, account: accountKey } = c.req.valid("param");
    const db = getDb(c.env.DB);
    const account = await callbackAccount(db, c.env, provider, accountKey);
    if (!account) throw notFound("Provider account");
    const raw = new TextDecoder().decode(await c.req.arrayBuffer()); // the exact bytes that were signed
    if (raw.length > MAX_BODY) throw badRequest("The callback body is too large.");
    const h = (name: string) => c.req.header(name);
    const json = () => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        throw badRequest("The callback body is not JSON.");
      }
    };
    let events: ProviderEvent[];
    switch (provider) {
      case "resend": {
        if (!account.secrets.resendSecret) throw notConfigured("Resend webhook signing secret");
        if (
          !(await verifyResend(
            account.secrets.resendSecret,
            { id: h("svix-id"), timestamp: h("svix-timestamp"), signature: h("svix-signature") },
            raw,
          ))
        )
          throw invalid("svix-signature");
        events = parseResend(h("svix-id")!, json());
        break;
      }
      case "sendgrid": {
        if (!account.secrets.sendgridPublicKey) throw notConfigured("SendGrid verification key");
        if (
          !(await verifySendGrid(
            account.secrets.sendgridPublicKey,
            h("X-Twilio-Email-Event-Webhook-Signature"),
            h("X-Twilio-Email-Event-Webhook-Timestamp"),
            raw,
          ))
        )
          throw invalid("X-Twilio-Email-Event-Webhook-Signature");
        events = parseSendGrid(json());
        break;
      }
      case "postmark": {
        if (!account.secrets.postmarkPassword) throw notConfigured("Postmark webhook password (POSTMARK_WEBHOOK_PASSWORD)");
        if (!verifyBasicAuth(h("Authorization"), account.secrets.postmarkUser, account.secrets.postmarkPassword))
          throw invalid("basic auth");
        events = parsePostmark(json());
        break;
      }
      case "twilio": {
        if (!account.secrets.twilioAuthToken) throw notConfigured("Twilio auth token");
        const params = new URLSearchParams(raw);
        if (!(await verifyTwilio(account.secrets.twilioAuthToken, h("X-Twilio-Signature"), c.req.url, params)))
          throw invalid("X-Twilio-Signature");
        events = parseTwilio(params);
        break;
      }
    }
    return c.json(await applyProviderEvents(db, c.env, account, events), 200);
  },
);
