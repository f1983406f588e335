// Public entry of the surveys module (NPS and feedback): modules/insights reads the daily NPS count.
export { npsResponseCount } from "./daily-figures";
