import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { showOnce } from '$lib/server/shown';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url, isDataRequest }) => {
	const { forum } = appContext().services;
	const sub = await guarded(forum.subthread(locals.auth, Number(params.id)), url);
	const page = await guarded(forum.thread(locals.auth, sub.threadId), url);
	const [node] = showOnce([sub.node], isDataRequest);
	return { sub: { ...sub, node }, canReply: page.canReply, canModerate: page.canModerate };
};
