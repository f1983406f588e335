import { Badge } from "../ui/Badge";
import type { Author } from "./client";

/** A member's name with @username, and the staff / moderator badge the public pages show too. */
export function AuthorName({ author, withHandle = false }: { author: Author; withHandle?: boolean }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <span className="font-medium text-fg">{author.display_name}</span>
      {withHandle && <span className="text-muted">@{author.username}</span>}
      {author.staff ? <Badge tone="accent">Staff</Badge> : author.moderator ? <Badge tone="success">Moderator</Badge> : null}
    </span>
  );
}
