// Runs bench/outbox.workerd.test.ts inside workerd with the same bindings as the test suite.
import base from "../vitest.config";

export default async (env: Parameters<Extract<typeof base, (...a: never[]) => unknown>>[0]) => {
  const config = await (base as unknown as (e: typeof env) => Promise<{ test: Record<string, unknown> }>)(env);
  return { ...config, test: { ...config.test, include: ["bench/outbox.workerd.test.ts"], testTimeout: 600_000 } };
};
