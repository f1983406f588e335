import type { SVGProps } from "react";

/** A few stroke icons (inline, so no icon library on first paint); `strokeIcon(d)` makes another. */
export const strokeIcon = (d: string) =>
  function Icon(props: SVGProps<SVGSVGElement>) {
    return (
      <svg
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.8}
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        className="size-5"
        {...props}
      >
        <path d={d} />
      </svg>
    );
  };

export const HomeIcon = strokeIcon("M3 11l9-7 9 7M5 10v10h5v-6h4v6h5V10");
export const UsersIcon = strokeIcon(
  "M16 19v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1M9.5 10a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM21 19v-1a4 4 0 0 0-3-3.87M15.5 3.13a3.5 3.5 0 0 1 0 6.74",
);
export const SettingsIcon = strokeIcon(
  "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z",
);
export const ListIcon = strokeIcon("M9 6h11M9 12h11M9 18h11M4 6h.01M4 12h.01M4 18h.01");
export const MailIcon = strokeIcon("M4 5h16a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zM3 7l9 6 9-6");
export const KeyIcon = strokeIcon("M15 7a4 4 0 1 1-3.9 4.9L3 20v-3h3v-3h3l2.1-2.1A4 4 0 0 1 15 7zM16 8h.01");
export const ShieldIcon = strokeIcon("M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6l8-3z");
export const MenuIcon = strokeIcon("M4 6h16M4 12h16M4 18h16");
export const CloseIcon = strokeIcon("M6 6l12 12M18 6L6 18");
export const ChevronDownIcon = strokeIcon("M6 9l6 6 6-6");
export const SunIcon = strokeIcon(
  "M12 17a5 5 0 1 0 0-10 5 5 0 0 0 0 10zM12 1v2M12 21v2M4.2 4.2l1.4 1.4M18.4 18.4l1.4 1.4M1 12h2M21 12h2M4.2 19.8l1.4-1.4M18.4 5.6l1.4-1.4",
);
export const MoonIcon = strokeIcon("M21 12.8A9 9 0 1 1 11.2 3 7 7 0 0 0 21 12.8z");
export const MonitorIcon = strokeIcon("M3 4h18v12H3zM8 20h8M12 16v4");
export const CopyIcon = strokeIcon("M9 9h11v11H9zM5 15H4V4h11v1");
export const CheckIcon = strokeIcon("M5 12l5 5L20 7");
export const PlusIcon = strokeIcon("M12 5v14M5 12h14");
export const ActivityIcon = strokeIcon("M22 12h-4l-3 9L9 3l-3 9H2");
export const ChartIcon = strokeIcon("M3 3v18h18M7 16v-4M11 16V8M15 16v-6M19 16V5");
export const RocketIcon = strokeIcon(
  "M5 15c-1.5 1.5-2 5-2 5s3.5-.5 5-2M9 11a22 22 0 0 1 11-8 22 22 0 0 1-8 11l-3 1-1-1-1-1 1-3zM14 10h.01M9 11l-4-1 3-3h4M13 15l1 4 3-3v-4",
);
export const ChatIcon = strokeIcon("M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12zM8 12h.01M12 12h.01M16 12h.01");
export const SendIcon = strokeIcon("M22 2L11 13M22 2l-7 20-4-9-9-4 20-7z");
export const BookIcon = strokeIcon("M4 19.5A2.5 2.5 0 0 1 6.5 17H20V3H6.5A2.5 2.5 0 0 0 4 5.5v14zM4 19.5A2.5 2.5 0 0 0 6.5 22H20v-5");
export const TrayIcon = strokeIcon("M22 12h-6l-2 3h-4l-2-3H2M5.5 5h13L22 12v6a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2v-6l3.5-7z");
