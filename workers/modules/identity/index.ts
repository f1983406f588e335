// Public entry of the identity module: the only file other modules import (see docs/engineering.md).
export { findUserByEmail, getUser } from "./users.service";
