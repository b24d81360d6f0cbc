/** How long a personal access token may last, in days: the choices the settings page and the API offer. */
export const TOKEN_LIFETIMES_DAYS = [7, 30, 90, 365] as const;
