import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { forum } = appContext().services;
	const sub = await guarded(forum.subthread(locals.auth, Number(params.id) || 0), url);
	const page = await guarded(forum.thread(locals.auth, sub.threadId), url);
	return { sub, canReply: page.canReply, canModerate: page.canModerate };
};
