/**
 * The last Express handler: an error that escaped everything else (a
 * malformed percent-encoding in the path, a body the parser refused, a bug)
 * answers the API's JSON error under /api/ and a plain page elsewhere. Never a
 * stack trace: it names our files and packages to whoever asked.
 */
import type { NextFunction, Request, Response } from "express";

interface HttpError {
  status?: number;
  statusCode?: number;
}

function statusOf(error: unknown): number {
  const { status, statusCode } = (error ?? {}) as HttpError;
  const given = status ?? statusCode;
  return typeof given === "number" && given >= 400 && given < 600 ? given : 500;
}

const MESSAGES: Record<number, { code: string; message: string }> = {
  400: { code: "bad_request", message: "The request could not be read: check the address for a malformed %-escape." },
  404: { code: "not_found", message: "Nothing lives at this address." },
  413: { code: "too_large", message: "The request is too large." },
};
const FAILED = { code: "internal", message: "The server failed to answer this request." };

export function answerUnhandledErrors(error: unknown, req: Request, res: Response, next: NextFunction) {
  if (res.headersSent) return next(error);
  const status = statusOf(error);
  if (status >= 500) console.error(`${req.method} ${req.originalUrl.slice(0, 200)} failed`, error);
  const { code, message } = MESSAGES[status] ?? (status >= 500 ? FAILED : { code: "bad_request", message: "The request was refused." });
  res.status(status).set("Cache-Control", "no-store");
  if (req.originalUrl.startsWith("/api/")) {
    res.json({ error: { code, message, details: [] } });
    return;
  }
  res.type("html").send(errorPage(status, message));
}

function errorPage(status: number, message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${status} · Consilience</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1e293b">
<h1 style="font-size: 1.5rem">Consilience: ${status}</h1>
<p>${message}</p>
<p><a href="/">Go to your workspaces</a></p>
</body>
</html>`;
}
