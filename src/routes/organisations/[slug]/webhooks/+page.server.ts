import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { webhookActions } from '$lib/server/webhook-actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => ({
	hooks: await guarded(appContext().services.webhooks.list(locals.auth, { kind: 'organisation', slug: params.slug }), url)
});

export const actions: Actions = webhookActions(({ params }) => ({ kind: 'organisation', slug: params.slug ?? '' }));
