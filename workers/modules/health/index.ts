// Public entry of the health module: the only file other modules import (see docs/engineering.md).
// Nothing yet: no module uses health; the composition root mounts its routes.
export {};
