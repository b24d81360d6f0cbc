import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { SESSION_COOKIE } from "#app/services/session.server.ts";
import { env } from "#app/env.server.ts";
import { isOwnOrigin } from "./origin.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery guard: a state-changing request that would be
 * authenticated by the session cookie must carry an Origin header naming us.
 * Bearer-token requests are exempt (a browser never attaches them on its own).
 */
export function requireSameOriginForCookieWrites(req: Request, res: Response, next: NextFunction) {
  if (SAFE_METHODS.has(req.method)) return next();
  if (req.headers.authorization) return next();
  const carriesSession = (req.headers.cookie ?? "").includes(`${SESSION_COOKIE}=`);
  if (!carriesSession) return next();
  const origin = req.headers.origin;
  if (origin && isOwnOrigin(origin, req.headers.host)) return next();
  res.status(403).json({
    error: {
      code: "forbidden",
      message: "This request came from another site (or without an Origin header) and was refused.",
      details: [],
    },
  });
}

/** The nonce of this response's inline scripts, set by `securityHeaders` (read by the Remix load context). */
export function cspNonce(res: Response): string {
  return res.locals.cspNonce as string;
}

/**
 * Source lists of the Content-Security-Policy, one entry per directive. A
 * feature that needs another source adds it here, with the reason beside it
 * (docs/decisions/012-browser-security-headers.md explains each choice).
 */
export function contentSecurityPolicy(nonce: string, host: string | undefined): string {
  // The live channel is a WebSocket to our own host; CSP3 browsers accept it under
  // 'self', older ones need the ws:/wss: origins spelled out.
  const sameHostSockets = host && /^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:.]+\](:\d+)?$/i.test(host) ? [`ws://${host}`, `wss://${host}`] : [];
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // Scripts are our own files, plus Remix's inline bootstrap scripts, which carry this response's nonce.
    "script-src": ["'self'", `'nonce-${nonce}'`],
    // Stylesheets are files (Tailwind is built into one), plus the <style> element the protocol editor
    // (CodeMirror) writes its layout into, which carries this response's nonce.
    "style-src": ["'self'", `'nonce-${nonce}'`],
    // React's `style` props (row positions in virtualised tables, progress bars) arrive as attributes
    // in server-rendered HTML. Attributes cannot run script or load anything beyond img-src, so they are allowed.
    "style-src-attr": ["'unsafe-inline'"],
    // Comments may show images linked from the web.
    "img-src": ["'self'", "data:", "https:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'", ...sameHostSockets],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}

/** Only the browser features the app uses; everything powerful is off for us and anything we embed. */
const PERMISSIONS_POLICY = ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"].join(", ");

/** Headers every answer carries: pages, API answers and static files alike. */
export function securityHeaders(req: Request, res: Response, next: NextFunction) {
  const nonce = randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, req.headers.host));
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
  // Browsers ignore it over plain HTTP; behind TLS it keeps them from ever downgrading.
  if (env().NODE_ENV !== "development") res.setHeader("Strict-Transport-Security", "max-age=31536000");
  next();
}
