import type { RequestEvent } from '@sveltejs/kit';
import type { WebhookScope } from '../../../server/services/webhooks.service.js';
import { appContext } from './context';
import { attempt, formList, formValues } from './forms';

/**
 * The form actions of a webhooks page (the coordinators' and an organisation's): register, send the test event, turn
 * back on, remove. Each is authorised by the service for the endpoint it names.
 */
export function webhookActions(scopeOf: (event: RequestEvent) => WebhookScope) {
	const byId = (work: (id: number, event: RequestEvent) => Promise<void>, done: string) => async (event: RequestEvent) => {
		const { id } = formValues(await event.request.formData(), ['id']);
		const result = await attempt(() => work(Number(id), event), { id }, done);
		return result === undefined ? { done, id: Number(id) } : result;
	};
	const hooks = () => appContext().services.webhooks;
	return {
		register: async (event: RequestEvent) => {
			const data = await event.request.formData();
			const values = { ...formValues(data, ['url']), events: formList(data, 'events') };
			const result = await attempt(() => hooks().register(event.locals.auth, scopeOf(event), values), values, 'register');
			return 'secret' in result ? { done: 'register', secret: result.secret, url: values.url.trim() } : result;
		},
		test: byId((id, e) => hooks().sendTest(e.locals.auth, id), 'test'),
		enable: byId((id, e) => hooks().enable(e.locals.auth, id), 'enable'),
		remove: byId((id, e) => hooks().remove(e.locals.auth, id), 'remove')
	};
}
