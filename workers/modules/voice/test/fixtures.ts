/** Transcript fixtures for the voice tests (and the demo seed's shape): one call in each format. */

export const CALL_VTT = `WEBVTT

00:00:01.000 --> 00:00:06.500
<v Sam Rivera>Hi Dana, thanks for making the time today. How is the rollout going?

00:00:07.000 --> 00:00:15.200
<v Dana Whitfield>Mostly well. One thing: the CSV export doesn't work for files over ten thousand rows, we get an error every time.

00:00:15.500 --> 00:00:24.000
<v Sam Rivera>Sorry about that. I'll send you the updated pricing sheet by Friday, and I'll ask support to look at the export.

00:00:24.500 --> 00:00:31.000
<v Dana Whitfield>Great. Can you also set up a security review with our IT team next week?

00:00:31.500 --> 00:00:38.000
<v Sam Rivera>Sure. The next step is a pilot with the finance team in two weeks.
`;

export const CALL_SRT = `1
00:00:01,000 --> 00:00:04,000
Sam: Thanks for joining, Lee.

2
00:00:04,500 --> 00:00:09,000
Lee: The dashboard keeps crashing when I open the reports tab.

3
00:00:09,500 --> 00:00:14,000
Sam: I'll get our engineers on it and send you an update tomorrow.
`;

export const CALL_TEXT = `[00:00] Sam: Good morning Dana.
[00:05] Dana: Morning! Our sync with the CRM is broken since Tuesday.
It shows an error on every contact.
[00:20] Sam: Could you send me a screenshot of the error?
[00:31] Dana: Sure, I will send it today.
`;

/** The day the fixture calls take place: Monday 7 December 2026, 15:00 UTC (due dates are read against it). */
export const MONDAY = Date.UTC(2026, 11, 7, 15, 0);
