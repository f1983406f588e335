import { Link, useRouter, type ErrorComponentProps } from "@tanstack/react-router";
import { ApiError, errorMessage } from "../lib/api";
import { buttonClass } from "./ui/Button";

/** Error boundary for every route: a friendly message, retry, and a way home. */
export function RouteError({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  const status = error instanceof ApiError ? error.status : undefined;
  const title = status === 403 ? "You don't have access to this" : status === 404 ? "Not found" : "Something went wrong";
  return (
    <div role="alert" className="mx-auto flex max-w-md flex-col items-center px-6 py-16 text-center">
      <p className="text-sm font-semibold text-accent">{status ? `Error ${status}` : "Unexpected error"}</p>
      <h1 className="mt-2 text-2xl font-semibold">{title}</h1>
      <p className="mt-2 text-sm text-muted">{errorMessage(error)}</p>
      <div className="mt-6 flex gap-2">
        <button
          type="button"
          className={buttonClass("primary")}
          onClick={() => {
            reset();
            router.invalidate();
          }}
        >
          Try again
        </button>
        <Link to="/" className={buttonClass("secondary")}>
          Go home
        </Link>
      </div>
    </div>
  );
}
