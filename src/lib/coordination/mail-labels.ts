import { m } from '$lib/paraglide/messages';
import type { MailProblem } from '$lib/shared/mail-problem';

// For the coordination pages that show the outbox, and not in $lib/i18n/labels.ts, which every page loads.

/** Why a mail has not gone out, in the reader's language; an SMTP server's own answer is quoted as it came. */
export const mailProblemText = (problem: MailProblem | null): string =>
	!problem ? m.coordination_mail_not_delivered() : problem.kind === 'no_smtp' ? m.coordination_mail_no_smtp() : m.coordination_mail_answered({ detail: problem.detail });
