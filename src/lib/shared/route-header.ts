/**
 * The response header through which SvelteKit's hook tells the server the matched route's pattern (for request
 * metrics, server/http/metrics-endpoint.ts). The server takes it off before the response leaves.
 */
export const ROUTE_HEADER = 'x-kuvend-route';
