import { decisionsEmbed } from '$lib/server/embeds';
import type { RequestHandler } from './$types';

/** Public decisions for other sites to frame (?group=, ?field=, ?lang=): see src/lib/shared/embed.ts. */
export const GET: RequestHandler = ({ url }) => decisionsEmbed(url);
