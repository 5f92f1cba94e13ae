import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { insertMail } from '../db/repositories/outbox.repository.js';
import { renderMail, type MailMessage } from '../mail/templates.js';
import type { Locale } from '../../src/lib/shared/types.js';

/** Queues mail inside the caller's transaction; the Mailer delivers after commit (see 'mail.queued'). */
export class MailService {
	constructor(
		/** The signature under every mail, in the recipient's language (the network's name). */
		private readonly signature: (locale: Locale) => string,
		private readonly clock: () => number = Date.now
	) {}

	/** Returns the outbox id of the queued mail. */
	async queue(trx: Transaction<Database>, to: { email: string; locale: Locale }, message: MailMessage): Promise<number> {
		const { subject, body } = renderMail(message, to.locale, this.signature(to.locale));
		return insertMail(trx, { to_address: to.email, locale: to.locale, subject, body, created_at: this.clock() });
	}
}
