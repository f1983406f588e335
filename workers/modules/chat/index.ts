// Public entry of the chat module: the only file other modules import (see docs/engineering.md).
// Nothing yet: no module uses chat; the composition root mounts its routes and Durable Objects.
export {};
