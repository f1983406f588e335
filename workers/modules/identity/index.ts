// Public entry of the identity module: the only file other modules import (see docs/engineering.md).
// Nothing yet: other modules read users' display fields through platform/directory.ts; accounts,
// sessions, MFA and API keys are reached over HTTP only.
export {};
