import { SETUP_STEPS, type SetupStepKey, type SetupStepState, type SetupStepView } from '../../src/lib/shared/setup.js';

export type { SetupOverview } from '../../src/lib/shared/setup.js';

/** What is stored about the network that tells whether a day-one step is done. */
export interface SetupFacts {
	/** A network profile was saved (by a coordinator or a seed). */
	profile: boolean;
	fields: number;
	groups: number;
	approvedApplications: number;
}

/**
 * Each step's state from the data: the network's profile was saved, active fields of action and groups exist, mail is
 * sent through an SMTP server, a first application was approved.
 */
export function setupSteps(facts: SetupFacts, { mailConfigured }: { mailConfigured: boolean }): SetupStepView[] {
	const state: Record<SetupStepKey, SetupStepState> = {
		network: facts.profile ? 'done' : 'todo',
		fields: facts.fields > 0 ? 'done' : 'todo',
		groups: facts.groups > 0 ? 'done' : 'todo',
		mail: mailConfigured ? 'done' : 'todo',
		members: facts.approvedApplications > 0 ? 'done' : 'todo'
	};
	return SETUP_STEPS.map((step) => ({ key: step.key, href: step.href, state: state[step.key] }));
}
