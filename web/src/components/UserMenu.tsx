import { useNavigate } from "@tanstack/react-router";
import { signOut, useMe } from "../lib/auth";
import { initials } from "../lib/format";
import { Menu } from "./ui/Menu";

export function UserMenu() {
  const { data: me } = useMe();
  const navigate = useNavigate();
  if (!me) return null;
  return (
    <Menu
      label="Account menu"
      buttonClassName="flex items-center gap-2 rounded-full p-0.5 hover:bg-subtle"
      button={
        <>
          <span
            aria-hidden="true"
            className="flex size-8 items-center justify-center rounded-full bg-accent text-xs font-semibold text-accent-fg"
          >
            {initials(me.user.name)}
          </span>
          <span className="sr-only">Account menu</span>
        </>
      }
      header={
        <div className="text-sm">
          <p className="font-medium">{me.user.name}</p>
          <p className="truncate text-muted">{me.user.email}</p>
        </div>
      }
      items={[
        { label: "Profile", onSelect: () => navigate({ to: "/settings/profile" }) },
        { label: "Security", onSelect: () => navigate({ to: "/settings/security" }) },
        "separator",
        {
          label: "Sign out",
          danger: true,
          onSelect: async () => {
            await signOut();
            navigate({ to: "/login" });
          },
        },
      ]}
    />
  );
}
