import { createFileRoute } from "@tanstack/react-router";
import { CouponsPage } from "../../../components/commerce/CouponsPage";

export const Route = createFileRoute("/_app/commerce/coupons")({ component: CouponsPage });
