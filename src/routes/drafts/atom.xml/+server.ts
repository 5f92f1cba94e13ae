import { atomResponse, draftsFeed } from '$lib/server/feeds';
import type { RequestHandler } from './$types';

/** Public policy drafts as an Atom feed, the latest changed first. */
export const GET: RequestHandler = async ({ request, url }) => atomResponse(request, await draftsFeed(url.origin, url.origin + url.pathname));
