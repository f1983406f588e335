import { Fragment, type ReactNode } from "react";

/**
 * The Markdown the documents use, rendered as React elements (never as HTML): `#`/`##`/`###`
 * headings, `-` lists, paragraphs, **bold**, _italic_ / *italic*, `code`. Enough for a preview of
 * what the knowledge base gets; the indexer reads the Markdown itself.
 */
export function MarkdownView({ text }: { text: string }) {
  const blocks: ReactNode[] = [];
  let list: { key: string; text: string }[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push(<p key={blocks.length}>{lines(para)}</p>);
    if (list.length)
      blocks.push(
        <ul key={blocks.length} className="list-disc space-y-1 pl-5">
          {list.map((l) => (
            <li key={l.key}>{inline(l.text)}</li>
          ))}
        </ul>,
      );
    para = [];
    list = [];
  };
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    if (h) {
      flush();
      const level = h[1]?.length ?? 2;
      const content = inline(h[2] ?? "");
      const k = `h${blocks.length}`;
      blocks.push(
        level === 1 ? (
          <h2 key={k} className="text-lg font-semibold">
            {content}
          </h2>
        ) : level === 2 ? (
          <h3 key={k} className="mt-2 text-base font-semibold">
            {content}
          </h3>
        ) : (
          <h4 key={k} className="text-sm font-semibold">
            {content}
          </h4>
        ),
      );
    } else if (/^\s*[-*]\s+/.test(line)) {
      if (para.length) {
        const p = para;
        para = [];
        blocks.push(<p key={blocks.length}>{lines(p)}</p>);
      }
      list.push({ key: `${blocks.length}.${list.length}`, text: line.replace(/^\s*[-*]\s+/, "") });
    } else if (!line.trim()) flush();
    else {
      if (list.length) flush();
      para.push(line);
    }
  }
  flush();
  return <div className="space-y-2 text-sm leading-relaxed text-fg">{blocks}</div>;
}

function lines(ls: string[]) {
  const out: ReactNode[] = [];
  for (const l of ls) {
    if (out.length) out.push(<br key={`br${out.length}`} />);
    out.push(<Fragment key={`l${out.length}`}>{inline(l)}</Fragment>);
  }
  return out;
}

function inline(s: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /(\*\*[^*]+\*\*|`[^`]+`|_[^_]+_|\*[^*]+\*)/g;
  let last = 0;
  let m: RegExpExecArray | null = re.exec(s);
  while (m) {
    if (m.index > last) out.push(s.slice(last, m.index));
    const t = m[0];
    const k = out.length;
    if (t.startsWith("**")) out.push(<strong key={k}>{t.slice(2, -2)}</strong>);
    else if (t.startsWith("`"))
      out.push(
        <code key={k} className="rounded bg-subtle px-1 text-xs">
          {t.slice(1, -1)}
        </code>,
      );
    else out.push(<em key={k}>{t.slice(1, -1)}</em>);
    last = m.index + t.length;
    m = re.exec(s);
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}
