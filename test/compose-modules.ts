import { composeModules } from "../workers/compose";

// Setup file: tests also call module functions directly (the outbox consumer, billing's lifecycle…),
// not only through the Worker's entry, so wire the modules here exactly as workers/index.ts does.
composeModules();
