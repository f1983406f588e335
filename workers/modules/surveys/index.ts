// Public entry of the surveys module (NPS and feedback): nothing is used by other modules yet.
export {};
