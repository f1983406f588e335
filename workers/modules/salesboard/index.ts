// Public entry of the salesboard module (docs/sales.md "salesboard"). Nothing imports it yet: the
// composition root mounts its router (routes.ts).
export {};
