import { m } from '$lib/paraglide/messages';
import { failureText, problemText } from '$lib/i18n/problems';

/** Each rule a proxy can break (server/domain/proxies.ts), in the reader's words. */
const PROXY_PROBLEMS: Record<string, () => string> = {
	proxy_self: m.proxy_self,
	proxy_closed: m.proxy_closed,
	proxy_not_for_organisations: m.proxy_not_for_organisations,
	proxy_giver_not_eligible: m.proxy_giver_not_eligible,
	proxy_holder_not_eligible: m.proxy_holder_not_eligible,
	proxy_chain_giver_holds: m.proxy_chain_giver_holds,
	proxy_chain_holder_gave: m.proxy_chain_holder_gave,
	proxy_already_given: m.proxy_already_given,
	proxy_cap_reached: m.proxy_cap_reached,
	proxy_cap_invalid: m.proxy_cap_invalid,
	prx_holder_required: m.prx_holder_required
};

/** The message for a proxy refusal's field code, or the form's own (choose_one...), or null. */
export const proxyProblemText = (code: string | undefined | null): string | null => (code ? (PROXY_PROBLEMS[code]?.() ?? problemText(code)) : null);

/** Why revoking failed, in words: the rule it met (a meeting ended, a vote opened), else the failure's own. */
export const revokeProblemText = (problem: { code?: string; fields?: Record<string, string> }): string =>
	proxyProblemText(problem.fields?.holder) ?? proxyProblemText(problem.code === 'conflict' ? 'proxy_closed' : null) ?? failureText(problem.code);
