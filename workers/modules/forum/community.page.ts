// The hosted community pages' router (workers/modules/forum/pages/), exposed at the module's top level
// so the composition root mounts it as an entry point (`*.page.ts`; see .dependency-cruiser.cjs).
export { communityPages } from "./pages/community.page";
