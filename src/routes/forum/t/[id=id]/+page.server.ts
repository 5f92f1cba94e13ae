import { appContext } from '$lib/server/context';
import { attempt, formValues, markdownValue } from '$lib/server/forms';
import { guarded } from '$lib/server/guard';
import { showOnce } from '$lib/server/shown';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url, isDataRequest }) => {
	const { forum, abilities } = appContext().services;
	const threadId = Number(params.id);
	// Loading is not reading (a preload on hover loads too): the page marks the thread read once shown, with `read`.
	const page = await guarded(forum.thread(locals.auth, threadId, Number(url.searchParams.get('page') ?? 1)), url);
	const categories = page.canModerate ? await forum.categories(locals.auth) : [];
	const canCallVote = await abilities.mayCall(locals.auth);
	const [opening] = showOnce([page.opening], isDataRequest);
	return { ...page, canCallVote, opening, replies: showOnce(page.replies, isDataRequest), moveTargets: categories
			// An archived field's space takes no thread, moved or new; the thread's own stays listed as where it is.
			.filter((c) => !c.archived || c.slug === page.thread.categorySlug)
			.map((c) => ({ slug: c.slug, fieldSlug: c.fieldSlug, groupName: c.groupName })) };
};

const num = (v: string) => Number(v) || 0;

export const actions: Actions = {
	/** The reader saw the thread up to `upTo`: sent by the page once shown, or by the no-JS "mark as read" button. */
	read: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['upTo']);
		return attempt(async () => ({ read: await appContext().services.forumWriting.markRead(locals.auth, Number(params.id), v.upTo ? num(v.upTo) : undefined) }));
	},
	reply: async ({ request, locals, params }) => {
		const data = await request.formData();
		const v = { ...formValues(data, ['parentId']), body: markdownValue(data, 'body') };
		return attempt(async () => ({ posted: await appContext().services.forumWriting.reply(locals.auth, Number(params.id), v.parentId ? num(v.parentId) : null, v.body) }), v);
	},
	edit: async ({ request, locals }) => {
		const data = await request.formData();
		const v = { ...formValues(data, ['postId']), body: markdownValue(data, 'body') };
		return attempt(async () => ({ edited: await appContext().services.forumWriting.edit(locals.auth, num(v.postId), v.body) }), v);
	},
	delete: async ({ request, locals }) => {
		const v = formValues(await request.formData(), ['postId']);
		return attempt(async () => ({ deleted: await appContext().services.forumWriting.delete(locals.auth, num(v.postId)) }));
	},
	react: async ({ request, locals }) => {
		const v = formValues(await request.formData(), ['postId', 'emoji', 'on']);
		return attempt(async () => ({ reacted: await appContext().services.forumWriting.react(locals.auth, num(v.postId), v.emoji, v.on !== '0') }));
	},
	flag: async ({ request, locals }) => {
		const v = formValues(await request.formData(), ['postId', 'reason']);
		return attempt(async () => ({ flagged: await appContext().services.moderation.flag(locals.auth, num(v.postId), v.reason) }), v);
	},
	hide: async ({ request, locals }) => {
		const v = formValues(await request.formData(), ['postId']);
		return attempt(async () => ({ hidden: await appContext().services.moderation.setPostHidden(locals.auth, num(v.postId), true) }));
	},
	restore: async ({ request, locals }) => {
		const v = formValues(await request.formData(), ['postId']);
		return attempt(async () => ({ restored: await appContext().services.moderation.setPostHidden(locals.auth, num(v.postId), false) }));
	},
	subscribe: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['on']);
		return attempt(async () => ({ subscribed: await appContext().services.forumWriting.subscribe(locals.auth, Number(params.id), v.on === '1') }));
	},
	thread: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['what', 'on']);
		return attempt(async () => ({ changed: await appContext().services.moderation.setThread(locals.auth, Number(params.id), v.what, v.on === '1') }));
	},
	move: async ({ request, locals, params }) => {
		const v = formValues(await request.formData(), ['category']);
		return attempt(async () => ({ moved: await appContext().services.moderation.move(locals.auth, Number(params.id), v.category) }));
	}
};
