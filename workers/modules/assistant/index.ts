// The assistant module (issue 18, docs/automation.md "Assistant"). Nothing imports it but the composition root.
export {};
