// Public entry of the fusion module (knowledge fusion, docs/sales.md). Nothing imports it yet: the
// composition root mounts routes.ts.
export {};
