// Public entry of the wizards module: nothing imports wizards except the composition root
// (workers/compose.ts wires the team wizard's buddy notice to member.joined).
export { notifyBuddy } from "./buddy-notice";
