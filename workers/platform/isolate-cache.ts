/**
 * A small per-isolate cache with a time-to-live, for reads on hot paths that may lag a change by the
 * TTL on other isolates (this isolate forgets at once through `forget`). Bounded: past `maxEntries`
 * it starts over rather than tracking recency.
 */
export function isolateCache<V>(ttlMs: number, maxEntries = 5_000) {
  const entries = new Map<string, { at: number; value: V }>();
  return {
    async get(key: string, load: () => Promise<V>, now = Date.now()): Promise<V> {
      const hit = entries.get(key);
      if (hit && now - hit.at < ttlMs) return hit.value;
      const value = await load();
      if (entries.size >= maxEntries) entries.clear();
      entries.set(key, { at: now, value });
      return value;
    },
    forget(key?: string): void {
      if (key === undefined) entries.clear();
      else entries.delete(key);
    },
  };
}
