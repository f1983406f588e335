import { z } from "@hono/zod-openapi";
import { currencyField } from "./catalogue.schemas";

const day = z.iso.date();
const instant = z.iso.datetime({ offset: true });
export const salesQuery = z.object({
  from: z
    .union([day, instant])
    .optional()
    .openapi({ description: "Start (a UTC date, inclusive, or an instant). Default: 29 days before `to`" }),
  to: z.union([day, instant]).optional().openapi({ description: "End (a UTC date, inclusive, or an instant, exclusive). Default: today" }),
  interval: z.enum(["day", "week", "month"]).default("day").openapi({ description: "Buckets in UTC; weeks start on Monday" }),
  currency: currencyField.optional().openapi({ description: "Default: the workspace's default currency" }),
});

const figures = {
  revenue: z.number().int().openapi({ description: "Paid orders' totals net of their refunds, minor units" }),
  orders: z.number().int().openapi({ description: "Paid orders (paid, fulfilled, partially refunded)" }),
  average_order_value: z.number().int().openapi({ description: "revenue ÷ orders, rounded half up (0 without orders)" }),
  refunds: z.number().int().openapi({ description: "Refunded amounts of the orders paid in the period (any status)" }),
};
export const salesSchema = z
  .object({
    currency: z.string(),
    interval: z.enum(["day", "week", "month"]),
    from: z.string(),
    to: z.string(),
    series: z.array(
      z.object({ period: z.string().openapi({ description: "The bucket's first UTC day", example: "2026-12-07" }), ...figures }),
    ),
    totals: z.object(figures),
  })
  .openapi("CommerceSales");
