// Public entry of the onboarding module: the only file other modules import (see docs/engineering.md).
// Nothing yet: no module uses onboarding; the composition root mounts its routes.
export {};
