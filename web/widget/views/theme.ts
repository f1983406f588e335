/** Theme, accent colour and language from the config ("auto" follows the host page's theme). */
import { strings } from "../i18n";
import { state } from "../state";

export function applyTheme() {
  const { cfg } = state;
  const theme = cfg.theme === "auto" ? state.hostTheme : cfg.theme;
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.setProperty("--accent", cfg.color);
  const s = strings(cfg.locale);
  state.t = s.t;
  document.documentElement.lang = s.lang;
}
