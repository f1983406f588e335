import { createFileRoute } from "@tanstack/react-router";
import { TopicsPage } from "../../../../components/forum/TopicsPage";

export const Route = createFileRoute("/_app/forum/topics/")({ component: TopicsPage });
