import { useState } from "react";
import { getThemePref, setThemePref, type ThemePref } from "../lib/theme";
import { MonitorIcon, MoonIcon, SunIcon } from "./icons";
import { Menu } from "./ui/Menu";

const labels: Record<ThemePref, string> = { light: "Light", dark: "Dark", system: "System" };

export function ThemeMenu() {
  const [pref, setPref] = useState<ThemePref>(getThemePref);
  const Icon = pref === "dark" ? MoonIcon : pref === "light" ? SunIcon : MonitorIcon;
  const choose = (p: ThemePref) => {
    setThemePref(p);
    setPref(p);
  };
  return (
    <Menu
      label="Theme"
      buttonLabel={`Theme: ${labels[pref]}`}
      buttonClassName="flex size-9 items-center justify-center rounded-lg text-muted hover:bg-subtle hover:text-fg"
      button={<Icon />}
      items={(["light", "dark", "system"] as const).map((p) => ({ label: labels[p], checked: pref === p, onSelect: () => choose(p) }))}
    />
  );
}
