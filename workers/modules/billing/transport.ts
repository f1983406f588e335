/**
 * The fetch used for payment-provider HTTP calls. Production: the global fetch. Tests replace
 * `current` with an in-process fake provider (tests run inside workerd, where no local server can
 * listen), so the real SDK and request code run unchanged against it.
 */
export const providerTransport: { current: typeof fetch } = {
  current: (input, init) => fetch(input, init),
};
export const providerFetch: typeof fetch = (input, init) => providerTransport.current(input, init);
