import { esc, page, type Brand } from "./portal.markup";
import type { PortalStrings } from "./portal.i18n";

/**
 * The signed-in portal pages (home, support requests, notifications, files, account): plain HTML
 * forms, no script, one column on a phone. Every page has the same labelled navigation with
 * `aria-current`, one h1, and status messages in `role="status"` / errors in `role="alert"`.
 */
export interface View {
  b: Brand;
  t: PortalStrings;
  lang: string;
  unread: number; // unread notifications, shown in the navigation
}
export type Section = "home" | "orders" | "tickets" | "notifications" | "files" | "assistant" | "account";

export interface TicketItem {
  id: string;
  number: number;
  subject: string;
  status: string;
  last_message: string;
  last_message_at: string;
  unread: number;
}
export interface NoteItem {
  id: string;
  title: string;
  body: string;
  link: string | null;
  read_at: string | null;
  created_at: string;
}
export interface FileItem {
  name: string;
  size: number;
  origin: string;
  note: string | null;
  url: string | null;
  shared_at: string;
}
interface MessageItem {
  author: string;
  author_name: string | null;
  body: string;
  created_at: string;
  attachments: { name: string; url: string | null }[];
}

export const base = (v: View) => `/portal/${esc(v.b.slug)}`;
export const when = (isoTime: string, lang: string) =>
  `<time datetime="${esc(isoTime)}">${esc(new Date(isoTime).toLocaleString(lang, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }))} UTC</time>`;
export const alert = (error?: string) => (error ? `<p class="alert" role="alert">${esc(error)}</p>` : "");
export const notice = (msg?: string) => (msg ? `<p class="ok" role="status">${esc(msg)}</p>` : "");
const size = (n: number) => (n < 1024 ? `${n} B` : n < 1048576 ? `${Math.round(n / 1024)} KB` : `${(n / 1048576).toFixed(1)} MB`);

function nav(v: View, active: Section) {
  const item = (s: Section, href: string, label: string, extra = "") =>
    `<a href="${base(v)}${href}"${s === active ? ' aria-current="page"' : ""}>${esc(label)}${extra}</a>`;
  const count = v.unread ? ` <span class="count" aria-label="${esc(v.t.unreadNotes(v.unread))}">${v.unread}</span>` : "";
  return `<nav class="tabs" aria-label="${esc(v.t.nav)}">${item("home", "", v.t.home)}${item("orders", "/orders", v.t.orders)}${item("tickets", "/tickets", v.t.tickets)}${item(
    "notifications",
    "/notifications",
    v.t.notifications,
    count,
  )}${item("files", "/files", v.t.files)}${item("assistant", "/assistant", v.t.assistant)}${item("account", "/account", v.t.account)}</nav>`;
}
export const shell = (v: View, active: Section, title: string, body: string) => page(v.b, title, body, nav(v, active), v.lang);

function ticketRows(v: View, items: TicketItem[]) {
  return `<ul class="rows">${items
    .map(
      (x) =>
        `<li><a href="${base(v)}/tickets/${esc(x.id)}">${esc(x.subject)}</a><span class="badge ${esc(x.status)}">${esc(v.t.status[x.status] ?? x.status)}</span>${
          x.unread ? ` <span class="unread">· ${esc(v.t.newReply)}</span>` : ""
        }<span class="meta">${esc(v.t.ticketNo(x.number))} · ${when(x.last_message_at, v.lang)}</span><span class="meta">${esc(x.last_message)}</span></li>`,
    )
    .join("")}</ul>`;
}
function noteRows(v: View, items: NoteItem[], actions: boolean) {
  return `<ul class="rows">${items
    .map((n) => {
      const title = n.link ? `<a href="${esc(n.link)}">${esc(n.title)}</a>` : `<strong>${esc(n.title)}</strong>`;
      const read =
        actions && !n.read_at
          ? `<form method="post" action="${base(v)}/notifications/${esc(n.id)}/read"><button type="submit" class="secondary">${esc(v.t.markRead)}</button></form>`
          : "";
      return `<li${n.read_at ? "" : ' class="unread"'}><div class="row">${title}${n.read_at ? "" : `<span class="badge">${esc(v.t.unread)}</span>`}</div><span class="meta">${esc(n.body)}</span><span class="meta">${when(n.created_at, v.lang)}</span>${read ? `<div class="row">${read}</div>` : ""}</li>`;
    })
    .join("")}</ul>`;
}
function fileRows(v: View, items: FileItem[]) {
  return `<ul class="rows">${items
    .map(
      (f) =>
        `<li>${f.url ? `<a href="${esc(f.url)}">${esc(f.name)}</a>` : esc(f.name)}<span class="meta">${esc(f.origin === "staff" ? v.t.fromTeam : v.t.fromYou)} · ${size(f.size)} · ${when(f.shared_at, v.lang)}</span>${
          f.note ? `<span class="meta">${esc(f.note)}</span>` : ""
        }</li>`,
    )
    .join("")}</ul>`;
}

export function homeView(
  v: View,
  name: string,
  d: { active: number; tickets: TicketItem[]; notes: NoteItem[]; files: FileItem[]; orders: string },
) {
  return shell(
    v,
    "home",
    v.t.home,
    `<h1>${esc(v.t.hello(name))}</h1>${d.orders}
<h2>${esc(v.t.tickets)}</h2><p>${esc(d.active ? v.t.activeTickets(d.active) : v.t.noTickets)}</p>${ticketRows(v, d.tickets)}
<div class="row"><a href="${base(v)}/tickets/new">${esc(v.t.newTicket)}</a> · <a href="${base(v)}/tickets">${esc(v.t.allTickets)}</a></div>
<h2>${esc(v.t.notifications)}</h2><p>${esc(v.unread ? v.t.unreadNotes(v.unread) : v.t.noNotes)}</p>${noteRows(v, d.notes, false)}
<p><a href="${base(v)}/notifications">${esc(v.t.allNotes)}</a></p>
<h2>${esc(v.t.sharedFiles)}</h2>${d.files.length ? fileRows(v, d.files) : `<p class="muted">${esc(v.t.noFiles)}</p>`}
<p><a href="${base(v)}/files">${esc(v.t.allFiles)}</a></p>`,
  );
}

export const more = (v: View, path: string, cursor: string | null) =>
  cursor ? `<p><a href="${base(v)}${path}?cursor=${esc(cursor)}">${esc(v.t.more)}</a></p>` : "";

export function ticketsView(v: View, items: TicketItem[], cursor: string | null) {
  return shell(
    v,
    "tickets",
    v.t.tickets,
    `<h1>${esc(v.t.tickets)}</h1><p><a href="${base(v)}/tickets/new">${esc(v.t.newTicket)}</a></p>${
      items.length ? ticketRows(v, items) : `<p class="muted">${esc(v.t.noTickets)}</p>`
    }${more(v, "/tickets", cursor)}`,
  );
}

const attachInput = (v: View) => `<label for="file">${esc(v.t.attach)}</label><input id="file" name="file" type="file">`;

export function newTicketView(v: View, o: { error?: string; subject?: string; message?: string } = {}) {
  return shell(
    v,
    "tickets",
    v.t.newTicket,
    `<h1>${esc(v.t.newTicket)}</h1>${alert(o.error)}
<form method="post" action="${base(v)}/tickets" enctype="multipart/form-data">
<label for="subject">${esc(v.t.subject)}</label><input id="subject" name="subject" maxlength="150" required value="${esc(o.subject ?? "")}">
<label for="message">${esc(v.t.message)}</label><textarea id="message" name="message" required maxlength="10000">${esc(o.message ?? "")}</textarea>
${attachInput(v)}<button type="submit">${esc(v.t.send)}</button></form>`,
  );
}

export function ticketView(v: View, tk: TicketItem & { messages: MessageItem[] }, o: { error?: string } = {}) {
  const msgs = tk.messages
    .map(
      (m) =>
        `<article class="msg ${m.author === "agent" ? "agent" : ""}" aria-label="${esc(m.author === "enduser" ? v.t.you : (m.author_name ?? v.t.team))}"><div class="meta"><strong>${esc(
          m.author === "enduser" ? v.t.you : (m.author_name ?? v.t.team),
        )}</strong> · ${when(m.created_at, v.lang)}</div><p>${esc(m.body)}</p>${m.attachments
          .map((a) => `<div class="meta">${a.url ? `<a href="${esc(a.url)}">${esc(a.name)}</a>` : esc(a.name)}</div>`)
          .join("")}</article>`,
    )
    .join("");
  const closeForm =
    tk.status === "closed"
      ? `<p class="muted">${esc(v.t.closedNote)}</p>`
      : `<form method="post" action="${base(v)}/tickets/${esc(tk.id)}/close"><button type="submit" class="secondary">${esc(v.t.close)}</button></form>`;
  return shell(
    v,
    "tickets",
    tk.subject,
    `<h1>${esc(tk.subject)}</h1><p class="meta">${esc(v.t.ticketNo(tk.number))} · <span class="badge ${esc(tk.status)}">${esc(v.t.status[tk.status] ?? tk.status)}</span></p>
${msgs}${alert(o.error)}
<form method="post" action="${base(v)}/tickets/${esc(tk.id)}/reply" enctype="multipart/form-data">
<label for="message">${esc(v.t.yourReply)}</label><textarea id="message" name="message" required maxlength="10000"></textarea>
${attachInput(v)}<button type="submit">${esc(v.t.reply)}</button></form>${closeForm}`,
  );
}

export function notificationsView(v: View, items: NoteItem[], cursor: string | null, msg?: string) {
  return shell(
    v,
    "notifications",
    v.t.notifications,
    `<h1>${esc(v.t.notifications)}</h1>${notice(msg)}<div class="row">${
      v.unread
        ? `<form method="post" action="${base(v)}/notifications/read-all"><button type="submit" class="secondary">${esc(v.t.markAllRead)}</button></form>`
        : ""
    }<a href="${base(v)}/notifications/preferences">${esc(v.t.preferences)}</a></div>${
      items.length ? noteRows(v, items, true) : `<p class="muted">${esc(v.t.noNotes)}</p>`
    }${more(v, "/notifications", cursor)}`,
  );
}

export function preferencesView(
  v: View,
  grid: { categories: { name: string; locked: boolean; cells: { channel: string; on: boolean }[] }[] },
  msg?: string,
) {
  const sets = grid.categories
    .map(
      (c) =>
        `<fieldset><legend>${esc(v.t.category[c.name] ?? c.name)}</legend>${c.cells
          .map((cell) => {
            const id = `p-${c.name}-${cell.channel}`;
            return `<label for="${id}"><input type="checkbox" id="${id}" name="on" value="${esc(`${c.name}.${cell.channel}`)}"${cell.on ? " checked" : ""}${
              c.locked ? " disabled" : ""
            }> ${esc(v.t.channel[cell.channel] ?? cell.channel)}</label>`;
          })
          .join("")}</fieldset>`,
    )
    .join("");
  return shell(
    v,
    "notifications",
    v.t.preferences,
    `<h1>${esc(v.t.preferences)}</h1>${notice(msg)}<p class="muted">${esc(v.t.prefsIntro)}</p><form method="post" action="${base(v)}/notifications/preferences">${sets}<button type="submit">${esc(v.t.save)}</button></form>`,
  );
}

export function filesView(v: View, items: FileItem[], cursor: string | null, o: { error?: string; msg?: string } = {}) {
  return shell(
    v,
    "files",
    v.t.files,
    `<h1>${esc(v.t.files)}</h1>${alert(o.error)}${notice(o.msg)}${items.length ? fileRows(v, items) : `<p class="muted">${esc(v.t.noFiles)}</p>`}${more(v, "/files", cursor)}
<h2>${esc(v.t.upload)}</h2><form method="post" action="${base(v)}/files" enctype="multipart/form-data"><label for="upload">${esc(v.t.attach)}</label><input id="upload" name="file" type="file" required><button type="submit">${esc(v.t.uploadButton)}</button></form>`,
  );
}

export interface SessionItem {
  id: string;
  method: string;
  userAgent: string | null;
  lastUsedAt: number;
  current: boolean;
}
function sessionRows(v: View, items: SessionItem[]) {
  return `<h2>${esc(v.t.sessionsTitle)}</h2><ul class="rows">${items
    .map(
      (x) =>
        `<li>${esc((x.userAgent ?? x.method).slice(0, 80))}${x.current ? ` <span class="badge">${esc(v.t.thisDevice)}</span>` : ""}<span class="meta">${when(
          new Date(x.lastUsedAt).toISOString(),
          v.lang,
        )}</span>${
          x.current
            ? ""
            : `<form method="post" action="${base(v)}/account/sessions/${esc(x.id)}/revoke"><button type="submit" class="secondary">${esc(v.t.signOutDevice)}</button></form>`
        }</li>`,
    )
    .join("")}</ul>`;
}

export function accountView(v: View, u: { name: string; email: string; verified: boolean }, sessions: SessionItem[] = []) {
  return shell(
    v,
    "account",
    v.t.account,
    `<h1>${esc(v.t.account)}</h1><dl><dt>${esc(v.t.name)}</dt><dd>${esc(u.name || "—")}</dd><dt>${esc(v.t.email)}</dt><dd>${esc(u.email)}${
      u.verified ? "" : ` <span class="muted">${esc(v.t.notConfirmed)}</span>`
    }</dd></dl>
${sessions.length ? sessionRows(v, sessions) : ""}
<form method="post" action="${base(v)}/signout"><button type="submit" class="secondary">${esc(v.t.signOut)}</button></form>`,
  );
}
