/**
 * The fetch the provider SDKs use. Production: the global fetch. Tests route it to the fake
 * OpenAI/Anthropic servers in modules/ai/test/fake-llm (same isolate), leaving the adapters untouched.
 */
let override: typeof fetch | null = null;
export function providerFetch(): typeof fetch {
  return override ?? ((input, init) => fetch(input, init));
}
/** Test seam: route provider HTTP to a handler; pass null to restore the network. */
export function setProviderFetch(f: typeof fetch | null) {
  override = f;
}
