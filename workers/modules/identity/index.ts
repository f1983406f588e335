// Public entry of the identity module: the only file other modules import (see docs/engineering.md).
