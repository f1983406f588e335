// Public entry of the crmsync module (the integration hub; docs/sales.md "CRM sync"). No other module uses it yet.
export {};
