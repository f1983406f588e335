/**
 * Vector encoding and exact cosine search for the local D1-backed index (runtime-agnostic; the
 * bench runs the same code in Node). Vectors are L2-normalised, then int8-quantised with one
 * float32 scale per vector: 1 byte per dimension (a 1024-d vector is 1 KiB) at a cosine error
 * well under 1%.
 */
export function encodeVector(v: Float32Array): Uint8Array {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]!));
  const scale = max > 0 ? max / 127 : 1;
  const out = new Uint8Array(4 + v.length);
  new DataView(out.buffer).setFloat32(0, scale, true);
  const q = new Int8Array(out.buffer, 4);
  for (let i = 0; i < v.length; i++) q[i] = Math.round(v[i]! / scale);
  return out;
}

export function decodeVector(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scale = view.getFloat32(0, true);
  const q = new Int8Array(bytes.buffer, bytes.byteOffset + 4, bytes.byteLength - 4);
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = q[i]! * scale;
  return out;
}

/** Dot product of a float query with an encoded vector, without materialising the vector. */
export function dotEncoded(query: Float32Array, bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scale = view.getFloat32(0, true);
  const q = new Int8Array(bytes.buffer, bytes.byteOffset + 4, bytes.byteLength - 4);
  const n = Math.min(q.length, query.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += query[i]! * q[i]!;
  return s * scale;
}

/** Keeps the k best (highest score) items seen; O(n log k). */
export class TopK<T> {
  private heap: { score: number; item: T }[] = [];
  constructor(private readonly k: number) {}
  push(score: number, item: T) {
    const h = this.heap;
    if (h.length < this.k) {
      h.push({ score, item });
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (h[p]!.score <= h[i]!.score) break;
        [h[p], h[i]] = [h[i]!, h[p]!];
        i = p;
      }
    } else if (this.k > 0 && score > h[0]!.score) {
      h[0] = { score, item };
      let i = 0;
      for (;;) {
        const l = 2 * i + 1,
          r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.score < h[m]!.score) m = l;
        if (r < h.length && h[r]!.score < h[m]!.score) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
  }
  sorted(): { score: number; item: T }[] {
    return [...this.heap].sort((a, b) => b.score - a.score);
  }
}
