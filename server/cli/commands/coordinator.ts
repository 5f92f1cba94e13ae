import { emailArgument, printLink, withOperator } from './operator.js';
import type { Command } from './types.js';

const USAGE = 'npm run kuvend -- coordinator add <email>';

const SAID = {
	created: 'Created a coordinator account:',
	promoted: 'Made the member a coordinator:',
	already: 'Already a coordinator:'
};

export const coordinatorAdd: Command = {
	words: ['coordinator', 'add'],
	summary: 'make an account a coordinator (creating it if needed) and print a set-password link',
	help: [
		`Usage: ${USAGE}`,
		'',
		'Makes the account with this email a coordinator. When no account has it, one is created, named from the',
		"email (they change the name in their settings) and without a password; an existing member is promoted.",
		'Either way it prints a single-use link, valid for 24 hours, to set the password. Refuses an applicant',
		'(approve the application first) and a suspended account. Runs beside a running server; recorded in the',
		'audit log.'
	].join('\n'),
	async run(input) {
		const email = emailArgument(input, USAGE);
		const result = await withOperator(input.config, (operator) => operator.addCoordinator(email));
		input.out(`${SAID[result.outcome]} ${result.name} <${result.email}>.`);
		printLink(input.out, 'Link to set the password for', result);
	}
};
