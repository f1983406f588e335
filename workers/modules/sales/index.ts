// Public entry of the sales module (CRM and scoring; docs/sales.md): what other modules (outreach) use.
