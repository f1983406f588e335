import { useEffect, useState } from "react";

/** `value`, once it has stopped changing for `ms` (so typing does not fire a query per key). */
export function useDebounced<T>(value: T, ms = 400): T {
  const [v, setV] = useState(value);
  const json = JSON.stringify(value);
  // biome-ignore lint/correctness/useExhaustiveDependencies: compared by content
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [json, ms]);
  return v;
}
