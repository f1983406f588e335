import { api, ApiError } from "./api";

/**
 * Browser push opt-in: registers /sw.js, asks for permission, subscribes with the workspace's
 * VAPID public key and registers the subscription with the API (`POST /api/v1/push/subscriptions`).
 * A browser holds one push subscription per service worker, so push is on for one workspace at a
 * time: enabling it here removes this browser's subscription from the other workspace.
 */
const KEY_PREFIX = "weft.push.";
const storeKey = (tenantId: string) => KEY_PREFIX + tenantId;

export type PushState = "unsupported" | "denied" | "enabled" | "disabled";

export const pushSupported = () =>
  typeof window !== "undefined" && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

function b64uToBytes(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4));
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
function sameKey(a: ArrayBuffer | null | undefined, b64u: string): boolean {
  if (!a) return false;
  const x = new Uint8Array(a);
  const y = b64uToBytes(b64u);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

async function registration(): Promise<ServiceWorkerRegistration> {
  await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  return navigator.serviceWorker.ready;
}

export async function pushState(tenantId: string): Promise<PushState> {
  if (!pushSupported()) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  const reg = await navigator.serviceWorker.getRegistration("/");
  const sub = await reg?.pushManager.getSubscription();
  return Notification.permission === "granted" && sub && localStorage.getItem(storeKey(tenantId)) ? "enabled" : "disabled";
}

const subscriptionBody = (sub: PushSubscription) => {
  const j = sub.toJSON();
  return { endpoint: j.endpoint!, keys: { p256dh: j.keys!.p256dh!, auth: j.keys!.auth! } };
};

async function forget(tenantId: string, id: string) {
  await api("DELETE /api/v1/push/subscriptions/{id}", { params: { id }, tenantId }).catch((e) => {
    if (!(e instanceof ApiError && (e.status === 404 || e.status === 403 || e.status === 401))) throw e;
  });
  localStorage.removeItem(storeKey(tenantId));
}

export async function enablePush(tenantId: string): Promise<void> {
  if (!pushSupported()) throw new Error("This browser does not support push notifications.");
  const permission = await Notification.requestPermission();
  if (permission === "denied")
    throw new Error("Notifications are blocked for this site. Allow them in the browser's site settings, then try again.");
  if (permission !== "granted") throw new Error("Notifications were not allowed.");
  const reg = await registration();
  const { public_key } = await api("GET /api/v1/push/vapid-public-key");
  let sub = await reg.pushManager.getSubscription();
  if (sub && !sameKey(sub.options.applicationServerKey, public_key)) {
    // Subscribed for another workspace (another VAPID key): move this browser over.
    await sub.unsubscribe();
    sub = null;
  }
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k?.startsWith(KEY_PREFIX) && k !== storeKey(tenantId))
      await forget(k.slice(KEY_PREFIX.length), localStorage.getItem(k)!).catch(() => {});
  }
  try {
    sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64uToBytes(public_key) });
  } catch (e) {
    throw new Error(`The browser's push service refused the subscription (${e instanceof Error ? e.message : String(e)}).`);
  }
  const saved = await api("POST /api/v1/push/subscriptions", { body: subscriptionBody(sub) });
  localStorage.setItem(storeKey(tenantId), saved.id);
}

export async function disablePush(tenantId: string): Promise<void> {
  const reg = pushSupported() ? await navigator.serviceWorker.getRegistration("/") : undefined;
  const sub = await reg?.pushManager.getSubscription();
  let id = localStorage.getItem(storeKey(tenantId));
  // Registered from another tab/session of this browser: saving again (idempotent by endpoint) returns its id.
  if (!id && sub) id = (await api("POST /api/v1/push/subscriptions", { body: subscriptionBody(sub) })).id;
  if (id) await forget(tenantId, id);
  await sub?.unsubscribe();
}
