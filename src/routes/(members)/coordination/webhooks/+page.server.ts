import { appContext } from '$lib/server/context';
import { guarded } from '$lib/server/guard';
import { webhookActions } from '$lib/server/webhook-actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	hooks: await guarded(appContext().services.webhooks.list(locals.auth, { kind: 'network' }))
});

export const actions: Actions = webhookActions(() => ({ kind: 'network' }));
