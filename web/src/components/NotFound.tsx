import { Link } from "@tanstack/react-router";
import { buttonClass } from "./ui/Button";

export function NotFound() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center px-6 py-16 text-center">
      <p className="text-sm font-semibold text-accent">404</p>
      <h1 className="mt-2 text-3xl font-semibold tracking-tight">Page not found</h1>
      <p className="mt-2 text-sm text-muted">The page you were looking for doesn't exist or has moved.</p>
      <Link to="/" className={buttonClass("primary", "md", "mt-6")}>
        Back to the dashboard
      </Link>
    </main>
  );
}
