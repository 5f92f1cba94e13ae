import { m } from '$lib/paraglide/messages';
import type { SetupStepKey } from '$lib/shared/setup';

const NAME: Record<SetupStepKey, () => string> = {
	network: m.setup_step_network,
	fields: m.setup_step_fields,
	groups: m.setup_step_groups,
	mail: m.setup_step_mail,
	members: m.setup_step_members
};
const TEXT: Record<SetupStepKey, () => string> = {
	network: m.setup_step_network_text,
	fields: m.setup_step_fields_text,
	groups: m.setup_step_groups_text,
	mail: m.setup_step_mail_text,
	members: m.setup_step_members_text
};

/** A day-one step's name. */
export const setupStepName = (key: SetupStepKey) => NAME[key]();
/** What a day-one step is about, in a sentence. */
export const setupStepText = (key: SetupStepKey) => TEXT[key]();
