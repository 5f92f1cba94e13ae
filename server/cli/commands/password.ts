import { emailArgument, printLink, withOperator } from './operator.js';
import type { Command } from './types.js';

const USAGE = 'npm run kuvend -- password reset <email>';

export const passwordReset: Command = {
	words: ['password', 'reset'],
	summary: 'print a link to set a new password for an account',
	help: [
		`Usage: ${USAGE}`,
		'',
		'Prints a single-use link, valid for 24 hours, with which the account sets a new password; every older',
		'reset link of the account stops working. Using the link ends the account\'s sessions. The link is not',
		'mailed: hand it to the person. It is the way to a reset link when the server has no SMTP_URL.',
		'Runs beside a running server. Recorded in the audit log. Refuses a suspended account.'
	].join('\n'),
	async run(input) {
		const email = emailArgument(input, USAGE);
		const link = await withOperator(input.config, (operator) => operator.passwordLink(email));
		printLink(input.out, 'Link to set a new password for', link);
	}
};
