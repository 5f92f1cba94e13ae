import { meetingsEmbed } from '$lib/server/embeds';
import type { RequestHandler } from './$types';

/** Upcoming public meetings for other sites to frame (?group=, ?field=, ?lang=): see src/lib/shared/embed.ts. */
export const GET: RequestHandler = ({ url }) => meetingsEmbed(url);
