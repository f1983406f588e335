/** What a payment adapter is told about an order, and what it answers. */
export interface ProviderOrder {
  tenantId: string;
  orderId: string;
  number: number;
  email: string;
  currency: string;
  total: number;
  description: string;
  /** Sent as Idempotency-Key (Stripe) / PayPal-Request-Id (PayPal). */
  idempotencyKey: string;
  /** Where the provider sends the buyer back (the hosted return page). */
  returnUrl: string;
  cancelUrl: string;
  /** When the checkout's hold runs out (epoch ms). */
  expiresAt: number;
}

export interface PaymentStart {
  /** Stripe Checkout Session id, PayPal order id or the simulator's payment id. */
  paymentId: string;
  redirectUrl: string;
}

export interface RefundRequest {
  tenantId: string;
  orderId: string;
  refundId: string;
  amount: number;
  currency: string;
  /** The PaymentIntent (Stripe) or capture (PayPal) the refund goes against. */
  captureId: string | null;
  idempotencyKey: string;
}

export interface RefundResult {
  providerRefundId: string | null;
  status: "pending" | "succeeded" | "failed";
  failureReason: string | null;
}
