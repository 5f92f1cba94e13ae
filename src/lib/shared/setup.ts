/**
 * The day-one setup of a network, in order: the pages a coordinator fills when the network starts from nothing.
 * Each page shows the stepper (src/lib/coordination/SetupSteps.svelte) when its URL has `?setup=1`.
 */
export const SETUP_STEPS = [
	{ key: 'network', href: '/coordination/network' },
	{ key: 'fields', href: '/coordination/fields' },
	{ key: 'groups', href: '/coordination/groups' },
	{ key: 'mail', href: '/coordination/setup/mail' },
	{ key: 'members', href: '/coordination/setup/members' }
] as const;

export type SetupStepKey = (typeof SETUP_STEPS)[number]['key'];

/** The wizard's welcome page, where the steps start and where "Back" from the first step leads. */
export const SETUP_HOME = '/coordination/setup';

/** A step's page as the wizard opens it: with `?setup=1`. */
export const inSetup = (href: string): string => `${href}${href.includes('?') ? '&' : '?'}setup=1`;

/** Whether a page was opened from the wizard. */
export const isInSetup = (url: URL): boolean => url.searchParams.get('setup') === '1';

/**
 * A link or a form's action (`?/rename`) that keeps the wizard open when the page was opened from it: forms post
 * without JavaScript, and a named action's `?/…` would otherwise drop `setup=1` from the address.
 */
export const keepSetup = (url: URL, href: string): string => (isInSetup(url) ? inSetup(href) : href);

/**
 * What the data says of a step: done, still to do, or `null` where nothing stored tells (the step's page is
 * visited and left as the coordinator sees fit).
 */
export type SetupStepState = 'done' | 'todo' | null;

export interface SetupStepView {
	key: SetupStepKey;
	href: string;
	state: SetupStepState;
}

export interface SetupOverview {
	steps: SetupStepView[];
	pendingApplications: number;
	mailConfigured: boolean;
	/** A coordinator finished the setup. */
	finished: boolean;
	/** /coordination offers "Set up the network": a setup began (a link was printed) and is not finished. */
	offered: boolean;
}
