/**
 * True on a local stack: `vite dev` (npm start), or the preview build the browser tests run
 * (VITE_WEFT_LOCAL=1, see scripts/local.mjs). Gates local-only UI such as the dev mailbox links and
 * the demo banner; a production build (npm run deploy) has neither.
 */
export const LOCAL_STACK: boolean = import.meta.env.DEV || import.meta.env.VITE_WEFT_LOCAL === "1";
