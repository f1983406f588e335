import { QueryClientProvider } from "@tanstack/react-query";
import { createRouter, RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouteError } from "./components/RouteError";
import { NotFound } from "./components/NotFound";
import { PageSkeleton } from "./components/ui/Skeleton";
import { queryClient } from "./lib/query";
import { onSignedOut } from "./lib/session";
import { applyTheme, watchSystemTheme } from "./lib/theme";
import { routeTree } from "./routeTree.gen";
import "./styles.css";

const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: "intent",
  defaultPreloadStaleTime: 0,
  defaultErrorComponent: RouteError,
  defaultNotFoundComponent: NotFound,
  defaultPendingComponent: PageSkeleton,
  defaultPendingMs: 150,
  scrollRestoration: true,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}

applyTheme();
watchSystemTheme();

// A session that ends underneath us (refresh rejected, signed out in another tab) goes to login.
onSignedOut(() => {
  queryClient.clear();
  const here = router.state.location;
  const publicPaths = ["/login", "/signup", "/forgot-password", "/reset-password", "/verify-email", "/invite"];
  if (!publicPaths.some((p) => here.pathname.startsWith(p))) {
    router.navigate({ to: "/login", search: { redirect: here.href } });
  }
});
window.addEventListener("storage", (e) => {
  if (e.key === "weft.refresh" && !e.newValue) {
    queryClient.clear();
    router.invalidate();
  }
  if (e.key === "weft.theme") applyTheme();
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
