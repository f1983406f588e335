// Region groups for the ICP (pure data; scoring.ts matches a lead's country against them).

/** Region names an ICP may use for groups of countries (ISO 3166-1 alpha-2). */
export const REGION_GROUPS: Record<string, string[]> = {
  "north america": ["US", "CA", "MX"],
  dach: ["DE", "AT", "CH"],
  nordics: ["SE", "NO", "DK", "FI", "IS"],
  benelux: ["BE", "NL", "LU"],
  eu: "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split(" "),
  europe: "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE GB NO CH IS UA RS AL BA ME MK MD".split(" "),
  latam: "AR BO BR CL CO CR CU DO EC SV GT HN MX NI PA PY PE PR UY VE".split(" "),
  apac: "AU NZ JP KR CN HK TW SG MY ID TH VN PH IN".split(" "),
  anz: ["AU", "NZ"],
  uk: ["GB"],
};
