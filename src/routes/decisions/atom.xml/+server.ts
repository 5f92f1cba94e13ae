import { atomResponse, decisionsFeed } from '$lib/server/feeds';
import type { RequestHandler } from './$types';

/** The public decisions register as an Atom feed. */
export const GET: RequestHandler = async ({ request, url }) => atomResponse(request, await decisionsFeed(url.origin, url.origin + url.pathname));
