import { crop, PhotonImage, resize, SamplingFilter } from "@cf-wasm/photon";
import { Problem } from "../../platform/errors";
import type { FilesEnv } from "./config";
import { LIMITS } from "./config";
import { filePrefix, type FileRow } from "./ingest";
import type { VariantParams } from "./links";

/**
 * Image variants by URL parameters, stored in R2 beside the original after the first request.
 * Engine: the Cloudflare Images binding when `IMAGES` is bound (production option); otherwise the
 * photon WebAssembly codec (@cf-wasm/photon) inside the Worker. Photon has no AVIF encoder: an
 * AVIF request gets WebP from it (the response's Content-Type says so).
 */
export type Engine = "cloudflare-images" | "photon-wasm";
export const imageEngine = (env: FilesEnv): Engine => (env.IMAGES ? "cloudflare-images" : "photon-wasm");

/** The WASM codec decodes the whole image in memory: originals above this are refused. */
const WASM_MAX_BYTES = 20 * 1024 * 1024;
const WASM_MAX_PIXELS = 40_000_000;

export interface Variant {
  w?: number;
  h?: number;
  fit: "cover" | "contain" | "scale-down";
  format: "webp" | "avif" | "jpeg" | "png";
  q: number;
}

const defaultFormat = (type: string): Variant["format"] => (type === "image/jpeg" ? "jpeg" : type === "image/webp" ? "webp" : "png");

export function normaliseVariant(p: VariantParams, originalType: string): Variant {
  const clamp = (n: number | undefined) => (n === undefined ? undefined : Math.max(1, Math.min(LIMITS.variantMaxSide, Math.round(n))));
  return {
    w: clamp(p.w),
    h: clamp(p.h),
    fit: p.fit ?? "scale-down",
    format: p.format ?? defaultFormat(originalType),
    q: Math.max(1, Math.min(100, Math.round(p.q ?? 80))),
  };
}

export const variantKey = (f: FileRow, v: Variant, engine: Engine) =>
  `${filePrefix(f.tenantId, f.id)}v/${engine}/${v.w ?? "_"}x${v.h ?? "_"}-${v.fit}-q${v.q}.${v.format}`;

/** Target size: scale-down never enlarges; contain fits inside; cover fills and crops the centre. */
export function plan(srcW: number, srcH: number, v: Variant) {
  let w = v.w;
  let h = v.h;
  if (!w && !h) return { rw: srcW, rh: srcH, crop: null };
  if (!w) w = Math.max(1, Math.round((srcW * (h as number)) / srcH));
  if (!h) h = Math.max(1, Math.round((srcH * w) / srcW));
  if (v.fit === "cover") {
    const s = Math.max(w / srcW, h / srcH);
    const rw = Math.max(w, Math.round(srcW * s));
    const rh = Math.max(h, Math.round(srcH * s));
    const x = Math.floor((rw - w) / 2);
    const y = Math.floor((rh - h) / 2);
    return { rw, rh, crop: { x, y, w, h } };
  }
  let s = Math.min(w / srcW, h / srcH);
  if (v.fit === "scale-down") s = Math.min(s, 1);
  return { rw: Math.max(1, Math.round(srcW * s)), rh: Math.max(1, Math.round(srcH * s)), crop: null };
}

const notAnImage = () =>
  new Problem(422, "image-unprocessable", "Image cannot be processed", "This image could not be decoded for resizing.");

function photonRender(bytes: Uint8Array, v: Variant): { bytes: Uint8Array; contentType: string } {
  if (bytes.byteLength > WASM_MAX_BYTES)
    throw new Problem(
      422,
      "image-too-large",
      "Image too large to resize here",
      `Resizing needs an original of at most ${WASM_MAX_BYTES} bytes without the Images binding.`,
    );
  let img: PhotonImage;
  try {
    img = PhotonImage.new_from_byteslice(bytes);
  } catch {
    throw notAnImage();
  }
  const owned: PhotonImage[] = [img];
  try {
    const srcW = img.get_width();
    const srcH = img.get_height();
    if (srcW * srcH > WASM_MAX_PIXELS)
      throw new Problem(422, "image-too-large", "Image too large to resize here", "The image has too many pixels.");
    const p = plan(srcW, srcH, v);
    let out = img;
    if (p.rw !== srcW || p.rh !== srcH) {
      out = resize(out, p.rw, p.rh, SamplingFilter.Lanczos3);
      owned.push(out);
    }
    if (p.crop) {
      out = crop(out, p.crop.x, p.crop.y, p.crop.x + p.crop.w, p.crop.y + p.crop.h);
      owned.push(out);
    }
    if (v.format === "jpeg") return { bytes: out.get_bytes_jpeg(v.q), contentType: "image/jpeg" };
    if (v.format === "png") return { bytes: out.get_bytes(), contentType: "image/png" };
    return { bytes: out.get_bytes_webp(), contentType: "image/webp" }; // webp, and avif's fallback
  } finally {
    for (const o of owned) o.free();
  }
}

/** Renders the variant and stores it; returns its key and type. */
export async function renderVariant(env: FilesEnv, f: FileRow, v: Variant): Promise<{ key: string; contentType: string }> {
  const engine = imageEngine(env);
  const key = variantKey(f, v, engine);
  const original = await env.FILES.get(f.r2Key);
  if (!original) throw new Problem(404, "not-found", "Not found", "The file's bytes are no longer stored.");
  let bytes: Uint8Array;
  let contentType: string;
  if (env.IMAGES) {
    const res = await env.IMAGES.input(original.body)
      .transform({ width: v.w, height: v.h, fit: v.fit })
      .output({ format: `image/${v.format}` as "image/webp", quality: v.q });
    bytes = new Uint8Array(await res.response().arrayBuffer());
    contentType = res.contentType();
  } else {
    ({ bytes, contentType } = photonRender(new Uint8Array(await original.arrayBuffer()), v));
  }
  await env.FILES.put(key, bytes, { httpMetadata: { contentType }, customMetadata: { engine } });
  return { key, contentType };
}
