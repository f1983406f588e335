// Public entry of the billing module: the only file other modules import (see docs/engineering.md).
export { checkQuota, quotaExceeded } from "./entitlements";
export { meter } from "./meter";
export { syncPaidSeats } from "./seat-sync";
export { seatLimitReached, seatPolicy } from "./seats";
export { accountsNearLimit, paidBase, usageGrowthAcrossWorkspaces } from "./expansion";
export type { AccountNearLimit, PaidBase, UsageGrowth } from "./expansion";
