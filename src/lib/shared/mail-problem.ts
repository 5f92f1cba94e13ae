/** Why a mail has not gone out: no SMTP server is set up, or an SMTP server answered with `detail` (its own words). */
export type MailProblem = { kind: 'no_smtp' } | { kind: 'answered'; detail: string };
