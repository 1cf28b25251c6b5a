/**
 * When an embed's island hydrates. It waits for the frame to be idle, so the
 * drawn step is painted first and several embeds on one help-centre page
 * (one thread for all their frames) do not hold back each other's first
 * paint. Idle time can stay away for seconds on a busy machine, though, and
 * the island is what reads the address (a `?step=N` the build drew redirects
 * to its own page) and answers the figure's buttons: after this long it
 * hydrates whether or not the frame went idle.
 */
export const EMBED_HYDRATION = { timeout: 1000 } as const;
