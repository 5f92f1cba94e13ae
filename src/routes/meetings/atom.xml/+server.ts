import { atomResponse, meetingsFeed } from '$lib/server/feeds';
import type { RequestHandler } from './$types';

/** Public meetings as an Atom feed (a calendar app wants /meetings/calendar.ics instead). */
export const GET: RequestHandler = async ({ request, url }) => atomResponse(request, await meetingsFeed(url.origin, url.origin + url.pathname));
