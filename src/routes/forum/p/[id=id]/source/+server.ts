import { json } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import type { RequestHandler } from './$types';

/** A post's Markdown source, for its editor. */
export const GET: RequestHandler = async ({ locals, params }) =>
	json({ body: await guarded(appContext().services.forumWriting.source(locals.auth, Number(params.id))) }, { headers: { 'cache-control': 'no-store' } });
