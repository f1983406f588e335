// Public entry of the chat module: the only file other modules import (see docs/engineering.md).
// The composition root mounts its routes and Durable Objects; modules/insights reads daily figures.
export { chatDailyFigures } from "./daily-figures";
