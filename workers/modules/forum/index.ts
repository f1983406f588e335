// Public entry of the forum module (see docs/engineering.md). Nothing imports the forum but the
// composition root: it mounts the routers (`public.routes.ts`, `staff.routes.ts`, the moderation,
// activity and pages routers), registers the GDPR eraser below and runs the digest cron (`cron.ts`).
export { eraseForumEndUser } from "./erase";
