import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { authenticateRequest } from "#app/services/auth.server.ts";

export const meta: MetaFunction = () => [{ title: "Consilience — a live workspace for research consortia" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await authenticateRequest(request)) throw redirect("/workspaces");
  return null;
}

export default function Landing() {
  return (
    <main className="mx-auto max-w-4xl px-4 py-16">
      <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">One live place for a research consortium</h1>
      <p className="mt-4 max-w-2xl text-lg text-slate-600">
        Share protocols, biomarker panels and study results; comment live on shared datasets; track shared goals; and line up interventions
        across studies by patient profile.
      </p>
      <div className="mt-8 flex flex-wrap gap-3">
        <Link to="/signup" className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
          Create an account
        </Link>
        <Link to="/login" className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-50">
          Sign in
        </Link>
      </div>
    </main>
  );
}
