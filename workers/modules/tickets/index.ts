// Public entry of the tickets module: the only file other modules import (see docs/engineering.md).
// The portal (modules/endusers) serves tickets to end users and to staff; this module keeps the data.
export {
  activeTicketsOverviewRead,
  addReply,
  createTicket,
  eraseTicketsOfEndUser,
  getTicket,
  listTickets,
  markTicketRead,
  setTicketStatus,
  ticketCounts,
  ticketMessages,
  type NewReply,
  type NewTicket,
  type TicketMessageRow,
  type TicketRow,
} from "./tickets.service";
export { ticketsOpened } from "./daily-figures";
// Automation (modules/workflows): the update_record step's ticket updater (status, assignee).
export { updateTicketFromWorkflow } from "./workflow-updates";
