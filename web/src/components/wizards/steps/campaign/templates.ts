/** Starter sequences the campaign wizard's sequence step begins from (the person edits every step). */
export interface StarterStep {
  kind: "email" | "task";
  delay_days: number;
  subject?: string;
  body?: string;
  task_title?: string;
}

export const STARTERS: { id: string; name: string; description: string; steps: StarterStep[] }[] = [
  {
    id: "intro",
    name: "Introduction, 3 touches",
    description: "An intro email, a short follow-up, and a call task.",
    steps: [
      {
        kind: "email",
        delay_days: 0,
        subject: "A quick idea for {{company}}",
        body: "Hi {{first_name}},\n\nTeams like yours use us to save hours every week. Two-minute overview: https://example.com/tour\n\nWorth a chat?",
      },
      {
        kind: "email",
        delay_days: 3,
        subject: "Re: a quick idea",
        body: "Hi {{first_name}}, did you get a chance to look? Pricing is here: https://example.com/pricing",
      },
      { kind: "task", delay_days: 5, task_title: "Call {{first_name}} if there is no reply" },
    ],
  },
  {
    id: "event",
    name: "After an event",
    description: "Thank-you email with the slides, then a meeting ask.",
    steps: [
      {
        kind: "email",
        delay_days: 1,
        subject: "Great to meet you",
        body: "Hi {{first_name}},\n\nThanks for stopping by. The slides: https://example.com/slides",
      },
      {
        kind: "email",
        delay_days: 4,
        subject: "15 minutes next week?",
        body: "Hi {{first_name}}, happy to show how it would work for {{company}}: https://example.com/meet",
      },
    ],
  },
  {
    id: "blank",
    name: "Start blank",
    description: "One email to write yourself.",
    steps: [{ kind: "email", delay_days: 0, subject: "", body: "" }],
  },
];
