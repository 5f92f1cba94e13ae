import type { MailProblem } from '../../src/lib/shared/mail-problem.js';

/** What the mailer stores on a mail it keeps because there is no SMTP server: a code, read back as words by pages. */
export const NO_SMTP = 'no SMTP server configured';

/**
 * A mail's stored failure as pages show it: "no SMTP server" is Kuvend's own state and reads in the reader's language;
 * anything else is what an SMTP server answered, quoted as it came (bounded), under a label in the reader's language.
 */
export function mailProblem(lastError: string | null): MailProblem | null {
	if (!lastError) return null;
	if (lastError === NO_SMTP) return { kind: 'no_smtp' };
	return { kind: 'answered', detail: lastError.slice(0, 300) };
}
