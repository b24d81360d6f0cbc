import type { NextFunction, Request, Response } from "express";
import { SESSION_COOKIE } from "#app/services/session.server.ts";
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

/** Headers every answer carries. Content-Security-Policy comes with the security issue. */
export function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  next();
}
