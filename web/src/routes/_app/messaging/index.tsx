import { createFileRoute } from "@tanstack/react-router";
import { DeliveryLog } from "../../../components/messaging/DeliveryLog";

export const Route = createFileRoute("/_app/messaging/")({ component: DeliveryLog });
