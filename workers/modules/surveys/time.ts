/** ISO time of an epoch-ms value that is never null (`iso()` in platform/request also takes null). */
export const isoAt = (ms: number) => new Date(ms).toISOString();
