import { useEffect, useRef, useState } from "react";
import { api } from "../../lib/api";

/**
 * A live WebSocket to the chat Durable Objects (inbox feed or one conversation). Browsers cannot
 * send headers on WebSockets, so each (re)connect first gets a 60-second ticket from the API.
 * Reconnects with exponential backoff; `onEvent` always sees the latest closure.
 */
export function useChatSocket(path: string | null, onEvent: (ev: any) => void, onOpen?: (ws: WebSocket) => void) {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const opened = useRef(onOpen);
  opened.current = onOpen;
  const [connected, setConnected] = useState(false);
  const socket = useRef<WebSocket | null>(null);

  useEffect(() => {
    if (!path) return;
    let stop = false;
    let retry = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = async () => {
      try {
        const { ticket } = await api("POST /api/v1/chat/ws-ticket");
        if (stop) return;
        const url = new URL(`${path}${path.includes("?") ? "&" : "?"}ticket=${encodeURIComponent(ticket)}`, location.href);
        url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
        const ws = new WebSocket(url);
        socket.current = ws;
        ws.onopen = () => {
          retry = 0;
          setConnected(true);
          opened.current?.(ws);
        };
        ws.onmessage = (e) => handler.current(JSON.parse(e.data as string));
        ws.onclose = () => {
          setConnected(false);
          if (socket.current === ws) socket.current = null;
          if (!stop) timer = setTimeout(connect, Math.min(15_000, 500 * 2 ** retry++));
        };
      } catch {
        if (!stop) timer = setTimeout(connect, Math.min(15_000, 1000 * 2 ** retry++));
      }
    };
    void connect();
    const ping = setInterval(() => socket.current?.readyState === WebSocket.OPEN && socket.current.send('{"type":"ping"}'), 30_000);
    return () => {
      stop = true;
      clearTimeout(timer);
      clearInterval(ping);
      socket.current?.close();
      socket.current = null;
    };
  }, [path]);

  /** True when the message went out on the socket. */
  const send = (msg: unknown): boolean => {
    const ws = socket.current;
    if (ws?.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(msg));
    return true;
  };
  return { connected, send };
}

/** A short two-tone chime (Web Audio; no asset) for "a visitor asks for a person". */
export function chime() {
  try {
    const ctx = new AudioContext();
    [660, 880].forEach((f, i) => {
      const o = ctx.createOscillator();
      const g = ctx.createGain();
      o.frequency.value = f;
      g.gain.setValueAtTime(0.08, ctx.currentTime + i * 0.15);
      g.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + i * 0.15 + 0.14);
      o.connect(g).connect(ctx.destination);
      o.start(ctx.currentTime + i * 0.15);
      o.stop(ctx.currentTime + i * 0.15 + 0.15);
    });
  } catch {
    /* audio unavailable */
  }
}
