import { fromBase64, toBase64 } from "../../platform/crypto";
import { Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { signingKey, type FilesEnv } from "./config";

/**
 * Upload tickets for direct browser uploads: a short-lived, HMAC-signed grant (no table) naming the
 * workspace, the largest body, the accepted types and the folder. The visitor's browser presents
 * it with the workspace's publishable key from an allowed origin (public.routes.ts).
 */
export interface Ticket {
  v: 1;
  id: string;
  t: string; // tenant
  max: number;
  types: string[];
  folder: string | null;
  exp: number; // unix seconds
}
const enc = new TextEncoder();
const b64u = (b: Uint8Array) => toBase64(b).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const unb64u = (s: string) => fromBase64(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));

export async function issueTicket(env: FilesEnv, t: Omit<Ticket, "v" | "id">): Promise<string> {
  const body = b64u(enc.encode(JSON.stringify({ v: 1, id: newId("tkt"), ...t })));
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", await signingKey(env), enc.encode(`ticket\n${body}`)));
  return `${body}.${b64u(sig)}`;
}

const invalid = () =>
  new Problem(403, "ticket-invalid", "Upload ticket not valid", "The upload ticket is not valid; ask the site for a new one.");

export async function readTicket(env: FilesEnv, ticket: string, now = Date.now()): Promise<Ticket> {
  const [body, sig] = ticket.split(".");
  if (!body || !sig || ticket.length > 4096) throw invalid();
  let ok = false;
  let t: Ticket;
  try {
    ok = await crypto.subtle.verify("HMAC", await signingKey(env), unb64u(sig), enc.encode(`ticket\n${body}`));
    t = JSON.parse(new TextDecoder().decode(unb64u(body))) as Ticket;
  } catch {
    throw invalid();
  }
  if (!ok || t.v !== 1) throw invalid();
  if (t.exp * 1000 < now)
    throw new Problem(403, "ticket-expired", "Upload ticket expired", "The upload ticket has expired; ask the site for a new one.");
  return t;
}
