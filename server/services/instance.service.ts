import path from 'node:path';
import type { Db } from '../db/client.js';
import { listBackups, type BackupKind } from '../db/backup.js';
import { databaseSize } from '../db/database-size.js';
import { deleteMail, mailDelivery, outboxTotals, recentMailFailures } from '../db/repositories/outbox.repository.js';
import { hasRole, type Actor } from '../domain/permissions.js';
import { hideOneTimeLinks } from '../domain/one-time-links.js';
import { MAX_ATTEMPTS, type Mailer } from '../mail/mailer.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { Authenticated } from './auth.service.js';
import type { MailService } from './mail.service.js';
import type { RateLimits } from './rate-limits.js';
import { mailProblem } from '../domain/mail-problem.js';
import type { MailProblem } from '../../src/lib/shared/mail-problem.js';

/** What the instance panel shows about this installation. */
export interface InstanceFacts {
	/** The application version (package.json). */
	version: string;
	/** The database file (or "PostgreSQL at host:port/database") and the folder backups go to, for its operator. */
	databaseFile: string;
	backupDir: string;
	/** Time between scheduled backups; 0: none are taken. */
	backupEveryMs: number;
}

export type TestMailResult = { outcome: 'sent'; to: string } | { outcome: 'not_configured' } | { outcome: 'failed'; to: string; reason: MailProblem | null };

const BACKUP_KINDS: BackupKind[] = ['scheduled', 'manual', 'before-migration'];
const FAILURES_SHOWN = 5;

/** The coordinators' view of the running installation: version, uptime, storage, backups and mail. */
export class InstanceService {
	constructor(
		private readonly db: Db,
		private readonly mail: MailService,
		private readonly mailer: Mailer,
		private readonly limits: RateLimits,
		private readonly facts: InstanceFacts & { startedAt: number; publicOrigin: () => string },
		private readonly clock: () => number = Date.now
	) {}

	async overview(auth: Authenticated | null) {
		this.#coordinator(auth);
		const [outbox, failures, size] = await Promise.all([outboxTotals(this.db, MAX_ATTEMPTS), recentMailFailures(this.db, FAILURES_SHOWN), databaseSize(this.db, this.facts.databaseFile)]);
		const last = BACKUP_KINDS.flatMap((kind) => listBackups(this.facts.backupDir, kind).slice(0, 1).map((b) => ({ ...b, kind }))).sort((a, b) => b.at - a.at)[0];
		return {
			version: this.facts.version,
			startedAt: this.facts.startedAt,
			uptimeMs: Math.max(0, this.clock() - this.facts.startedAt),
			database: { ...size, path: this.facts.databaseFile },
			backups: {
				dir: this.facts.backupDir,
				everyMs: this.facts.backupEveryMs,
				last: last ? { file: path.basename(last.file), at: last.at, kind: last.kind } : null
			},
			mail: {
				configured: this.mailer.delivers,
				pending: outbox.pending,
				failed: outbox.failed,
				failures: failures.map((f) => ({
					id: f.id,
					to: f.to_address,
					subject: hideOneTimeLinks(f.subject),
					createdAt: f.created_at,
					attempts: f.attempts,
					error: mailProblem(f.last_error)
				}))
			}
		};
	}

	/**
	 * Sends a test mail to the coordinator's own address through the outbox and the mailer, as any mail goes, and
	 * answers what the SMTP server said. A failed test mail is taken out of the outbox: it was answered here, and
	 * must not arrive hours later from a retry.
	 */
	async sendTestMail(auth: Authenticated | null): Promise<TestMailResult> {
		const coordinator = this.#coordinator(auth);
		if (!this.mailer.delivers) return { outcome: 'not_configured' };
		await this.limits.take(['testMailsPerMember', String(coordinator.id)]);
		const viewer = auth!.viewer;
		const id = await this.db
			.transaction()
			.execute((trx) => this.mail.queue(trx, { email: viewer.email, locale: viewer.locale }, { kind: 'test', name: viewer.displayName, url: this.facts.publicOrigin() }));
		await this.mailer.drained();
		const row = await mailDelivery(this.db, id);
		if (row?.sent_at) return { outcome: 'sent', to: viewer.email };
		await deleteMail(this.db, id);
		return { outcome: 'failed', to: viewer.email, reason: mailProblem(row?.last_error ?? null) };
	}

	#coordinator(auth: Authenticated | null): Actor {
		if (!auth) throw new DomainError('unauthenticated');
		if (!hasRole(auth.actor, 'coordinator')) throw new DomainError('forbidden');
		return auth.actor;
	}
}
