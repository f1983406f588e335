import { z } from "@hono/zod-openapi";
import { FULFILMENT_STATUSES, ORDER_STATUSES } from "../../../schema/commerce-orders";
import { pageQuerySchema } from "../../platform/pagination";

/** The order statuses that count as a sale (customers' orders and value, the sales figures). */
export const SALE_STATUSES = ["paid", "fulfilled", "partially_refunded"] as const;

const moneyByCurrency = z.array(z.object({ currency: z.string(), amount: z.number().int() }));

export const customerSchema = z
  .object({
    key: z.string().openapi({
      description: "`user:<end user id>` when they bought signed in, else `email:<address>`",
      example: "email:ada@example.com",
    }),
    email: z.string(),
    name: z.string().nullable().openapi({ description: "The name on their latest shipping address" }),
    end_user_id: z.string().nullable(),
    orders: z.number().int().openapi({ description: "Paid orders (paid, fulfilled, partially refunded)" }),
    lifetime_value: moneyByCurrency.openapi({ description: "Per currency: paid orders' totals net of refunds, minor units" }),
    first_order_at: z.string().nullable(),
    last_order_at: z.string().nullable(),
  })
  .openapi("CommerceCustomer");

export const customerOrderSchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    status: z.enum(ORDER_STATUSES),
    fulfilment_status: z.enum(FULFILMENT_STATUSES),
    currency: z.string(),
    total: z.number().int(),
    refunded: z.number().int(),
    item_count: z.number().int(),
    created_at: z.string(),
    paid_at: z.string().nullable(),
  })
  .openapi("CommerceCustomerOrder");

export const customerDetailSchema = z
  .object({
    customer: customerSchema,
    orders: z.array(customerOrderSchema).openapi({ description: "All their orders (any status), newest first, at most 200" }),
  })
  .openapi("CommerceCustomerDetail");

export const customerListQuery = pageQuerySchema.extend({
  q: z.string().trim().max(200).optional().openapi({ description: "Part of the email address or name" }),
});

export const customerKeyParam = z.object({
  key: z
    .string()
    .min(3)
    .max(330)
    .regex(/^(user|email):.+$/, "a customer key: user:<end user id> or email:<address>")
    .openapi({ param: { name: "key", in: "path" }, example: "email:ada@example.com" }),
});
