// Public entry of the chat module: the only file other modules import (see docs/engineering.md).
// The composition root mounts its routes and Durable Objects; modules/insights reads daily figures.
export { chatDailyFigures } from "./daily-figures";
// Wizards (modules/wizards, AI agent configuration): the widget's greeting/AI switch and the hand-off rules.
export { evaluateHandoff, getHandoffRules, putHandoffRules, type HandoffReason, type HandoffRules } from "./handoff-rules";
export { getSettings as getChatSettings, updateSettings as updateChatSettings } from "./settings.service";
