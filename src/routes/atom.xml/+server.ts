import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** Where feed readers look first: the network's feed is its decisions register (each page links its own feed). */
export const GET: RequestHandler = () => redirect(301, '/decisions/atom.xml');
