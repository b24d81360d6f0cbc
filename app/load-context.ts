/** What the server hands every Remix loader and action besides the request. */
export interface ConsilienceLoadContext {
  /** The client's IP as Express sees it (for rate limits). */
  clientIp: string;
  /** This response's Content-Security-Policy nonce: inline scripts without it do not run. */
  cspNonce: string;
}

declare module "@remix-run/node" {
  interface AppLoadContext extends ConsilienceLoadContext {}
}
