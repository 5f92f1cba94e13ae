import { fail } from '@sveltejs/kit';
import { appContext } from './context';
import { attempt, formValues, type FormProblem } from './forms';
import type { ProxyScope } from '$lib/shared/proxies';

/**
 * The two form actions of a proxy page (a meeting's or a vote's): `give` (field `holder`, a member's id picked by
 * name) and `revoke` (field `proxy`). A refusal keeps the member picked; the page says the rule in words.
 */
export function proxyActions(scopeOf: (params: { id: string }) => ProxyScope) {
	return {
		give: async ({ request, locals, params }: { request: Request; locals: App.Locals; params: { id: string } }) => {
			const values = formValues(await request.formData(), ['holder']);
			const holderId = Number(values.holder);
			if (!values.holder || !Number.isSafeInteger(holderId) || holderId <= 0) {
				return fail(400, { code: 'invalid_input', fields: { holder: 'prx_holder_required' }, values, form: 'give' } satisfies FormProblem);
			}
			return attempt(async () => ({ given: (await appContext().services.proxies.give(locals.auth, scopeOf(params), holderId), true) }), values, 'give');
		},
		revoke: async ({ request, locals }: { request: Request; locals: App.Locals }) => {
			const values = formValues(await request.formData(), ['proxy']);
			return attempt(async () => ({ revoked: (await appContext().services.proxies.revoke(locals.auth, Number(values.proxy)), true) }), values, 'revoke');
		}
	};
}
