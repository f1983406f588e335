/**
 * Message categories. Security and transactional messages are always delivered (a recipient
 * cannot opt out of a password reset or a receipt); marketing and product updates honour
 * preferences and carry a one-click unsubscribe (RFC 8058).
 */
export const CATEGORIES = {
  security: { optOut: false, label: "Security (sign-in, password)" },
  transactional: { optOut: false, label: "Transactional (invitations, receipts, billing)" },
  product: { optOut: true, label: "Product updates" },
  marketing: { optOut: true, label: "Marketing and newsletters" },
} as const;
export type MessageCategory = keyof typeof CATEGORIES;
export const CATEGORY_NAMES = Object.keys(CATEGORIES) as MessageCategory[];
export const canOptOut = (category: string) => (CATEGORIES as Record<string, { optOut: boolean }>)[category]?.optOut ?? true;
