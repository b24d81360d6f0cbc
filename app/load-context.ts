/** What the server hands every Remix loader and action besides the request. */
export interface ConsilienceLoadContext {
  /** The client's IP as Express sees it (for rate limits). */
  clientIp: string;
  /** This response's Content-Security-Policy nonce: inline scripts without it do not run. */
  cspNonce: string;
  /**
   * The origin absolute links (invitations, calendar UIDs, script headers) are
   * built from: the configured APP_ORIGIN, or the address the server listens on.
   * Never the request's Host header, which the sender chooses.
   */
  publicOrigin: string;
}

declare module "@remix-run/node" {
  interface AppLoadContext extends ConsilienceLoadContext {}
}
