import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../db/client.js';
import { deleteMail, markFailed, markSent, pendingMail } from '../db/repositories/outbox.repository.js';
import type { Logger } from '../logger.js';
import { hideOneTimeLinks } from '../domain/one-time-links.js';
import { linksStillValid } from '../services/password-links.js';
import { NO_SMTP } from '../domain/mail-problem.js';

/** Deliveries tried before a mail counts as failed (it stays in the outbox for coordinators to read). */
export const MAX_ATTEMPTS = 5;

/**
 * Delivers the outbox. Mail is written to the outbox inside the transaction that causes it, so nothing is sent
 * for work that rolled back and nothing is lost if delivery fails: without SMTP, mail stays in the outbox for
 * coordinators to read (and is printed to the development log).
 */
export class Mailer {
	readonly #transport: Transporter | null;
	#running: Promise<void> | null = null;
	#again = false;
	#retry: NodeJS.Timeout | null = null;

	constructor(
		private readonly db: Db,
		private readonly logger: Logger,
		private readonly options: {
			smtpUrl: string | null;
			/** MAIL_FROM: its address is used; its display name only when `fromName` gives none. */
			from: string;
			/** The sender's name shown to recipients (the network's), read at each delivery. */
			fromName?: () => string;
			logBodies: boolean;
		},
		private readonly clock: () => number = Date.now
	) {
		this.#transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl, { from: options.from }) : null;
	}

	/** MAIL_FROM's address under the network's name ("Name <address>" or a bare address). */
	#sender(): string | { name: string; address: string } {
		const name = this.options.fromName?.().trim();
		if (!name) return this.options.from;
		const address = /<([^<>]+)>\s*$/.exec(this.options.from)?.[1] ?? this.options.from.trim();
		return { name, address };
	}

	get delivers(): boolean {
		return this.#transport !== null;
	}

	/** Sends what is pending; calls made while a run is going on fold into one more run. */
	flush(): Promise<void> {
		if (this.#running) {
			this.#again = true;
			return this.#running;
		}
		this.#running = this.#deliver().finally(() => {
			this.#running = null;
			if (this.#again) {
				this.#again = false;
				void this.flush();
			}
		});
		return this.#running;
	}

	/** Resolves once everything queued before the call has been tried (runs started meanwhile included). */
	async drained(): Promise<void> {
		await this.flush();
		while (this.#running) await this.#running;
	}

	async #deliver(): Promise<void> {
		const pending = await pendingMail(this.db, MAX_ATTEMPTS);
		let failed = false;
		for (const mail of pending) {
			if (!this.#transport) {
				if (mail.attempts === 0) {
					this.logger.info('mail kept in the outbox (no SMTP_URL)', {
						id: mail.id,
						to: mail.to_address,
						subject: mail.subject,
						...(this.options.logBodies ? { body: hideOneTimeLinks(mail.body) } : {})
					});
					await markFailed(this.db, mail.id, NO_SMTP);
				}
				continue;
			}
			// A link used, voided or expired while the mail waited (SMTP down, or turned on later) must not go out.
			if (!(await linksStillValid(this.db, mail.body, this.clock()))) {
				await deleteMail(this.db, mail.id);
				this.logger.info('mail dropped: its one-time link is no longer valid', { id: mail.id });
				continue;
			}
			try {
				await this.#transport.sendMail({ from: this.#sender(), to: mail.to_address, subject: mail.subject, text: mail.body });
				await markSent(this.db, mail.id, this.clock());
			} catch (error) {
				failed = true;
				await markFailed(this.db, mail.id, error instanceof Error ? error.message : String(error));
				this.logger.warn('mail delivery failed', { id: mail.id, error });
			}
		}
		if (failed && !this.#retry) {
			this.#retry = setTimeout(() => {
				this.#retry = null;
				void this.flush();
			}, 30_000);
			this.#retry.unref();
		}
	}

	async close(): Promise<void> {
		if (this.#retry) clearTimeout(this.#retry);
		await this.#running;
		this.#transport?.close();
	}
}
