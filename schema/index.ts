export * from "./identity";
export * from "./tenancy";
export * from "./audit";
export * from "./messaging";
export * from "./onboarding";
export * from "./chat";
export * from "./billing";
export * from "./webhooks";
