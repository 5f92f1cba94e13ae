import path from 'node:path';
import express from 'express';
import { z } from 'zod';

/** The typed, frozen configuration of one Kuvend process. Only this module reads the environment. */
export interface Config {
	/** `development`, `production` or `test`: decides cookie Secure flags and log verbosity. */
	readonly env: 'development' | 'production' | 'test';
	/** TCP port to listen on; 0 picks a free one (tests). */
	readonly port: number;
	/** Interface to bind. */
	readonly host: string;
	/**
	 * The public origin browsers use (scheme, host, port). Used for CSRF/Origin checks and absolute links.
	 * `null` means "same host as the request" (only for tests on port 0).
	 */
	readonly origin: string | null;
	/** Folder holding the SQLite database and other state. */
	readonly dataDir: string;
	/** Full path of the SQLite file (inside dataDir unless DATABASE_FILE is given). */
	readonly databaseFile: string;
	/**
	 * A postgres:// URL: the database is PostgreSQL (in progress, README "PostgreSQL (in progress)"); null: the SQLite
	 * file. The data folder still holds backups and the lock.
	 */
	readonly databaseUrl: string | null;
	/** The most connections open to PostgreSQL at once. */
	readonly databasePoolSize: number;
	/** What a new database is seeded with: the demo network (`demo`, the Independent Cultural Scene), the InClust
	 * clusters (`inclust`, a second network: Greek first, its own fields and groups) or nothing (`none`). */
	readonly seed: 'demo' | 'inclust' | 'none';
	/** Session lifetime without activity, in milliseconds. */
	readonly sessionIdleMs: number;
	/** Hard session lifetime regardless of activity, in milliseconds. */
	readonly sessionAbsoluteMs: number;
	/** Log level for the server log. */
	readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
	/** SMTP server for outgoing mail (smtp:// or smtps:// URL); null keeps mail in the outbox for coordinators. */
	readonly smtpUrl: string | null;
	/** The From address of outgoing mail. */
	readonly mailFrom: string;
	/** `standard` limits for people; `relaxed` (100x) for automated test runs that sign in often. */
	readonly rateLimits: 'standard' | 'relaxed';
	/** How long a collaborative document nobody has open stays in memory, in milliseconds. */
	readonly docIdleMs: number;
	/** How often scheduled votes are checked for opening and closing. */
	readonly voteTickMs: number;
	/** Folder for backups: scheduled ones, those taken before migrating, and `kuvend backup` without a file name. */
	readonly backupDir: string;
	/** Time between scheduled backups, in milliseconds; 0 takes none. */
	readonly backupEveryMs: number;
	/** How many scheduled (and, separately, pre-migration) backups to keep; older ones are deleted. */
	readonly backupKeep: number;
	/**
	 * Which proxies in front of Kuvend may state the client's address in X-Forwarded-For: `false` (none: the
	 * connection's own address counts), a number of hops, or proxy addresses and CIDR ranges (Express's `trust proxy`).
	 */
	readonly trustProxy: false | number | readonly string[];
	/** The bearer token that opens GET /metrics to other machines; null keeps it to loopback. */
	readonly metricsToken: string | null;
	/**
	 * A redis:// URL: what several nodes share goes through Redis (Socket.IO rooms, rate limits, presence, the
	 * scheduler's lease; README "Run several nodes"); null: one process keeps it all in memory, as before.
	 */
	readonly redisUrl: string | null;
	/** Put before every Redis key and channel of this network, so several networks (or tests) share one Redis. */
	readonly redisPrefix: string;
	/**
	 * The key that seals open secret ballots on PostgreSQL (docs/secret-ballots-postgresql.md), from BALLOT_KEY; null:
	 * `ballot.key` in the data folder. Several nodes each have their own data folder, so they must be given one key.
	 */
	readonly ballotKey: Buffer | null;
	/** WEBHOOKS_ALLOW_PRIVATE=1: webhook URLs may lead to loopback and private addresses (tests, closed networks). */
	readonly webhooksAllowPrivate: boolean;
	/** How long one webhook delivery may take before it counts as failed, in milliseconds. */
	readonly webhookTimeoutMs: number;
}

const DAY = 24 * 60 * 60 * 1000;

const schema = z
	.object({
		NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
		PORT: z.coerce.number().int().min(0).max(65535).default(3000),
		HOST: z.string().min(1).default('0.0.0.0'),
		ORIGIN: z
			.url({ protocol: /^https?$/ })
			.transform((u) => new URL(u).origin)
			.optional(),
		DATA_DIR: z.string().min(1).default('./data'),
		DATABASE_FILE: z.string().min(1).optional(),
		DATABASE_URL: z
			.string()
			.refine((u) => URL.canParse(u) && /^postgres(ql)?:$/.test(new URL(u).protocol), 'must be a postgres:// or postgresql:// URL')
			.optional(),
		DATABASE_POOL_SIZE: z.coerce.number().int('must be a whole number').min(1).max(100).default(10),
		SEED: z.enum(['demo', 'inclust', 'none']).default('demo'),
		SESSION_IDLE_DAYS: z.coerce.number().positive().max(365).default(14),
		SESSION_ABSOLUTE_DAYS: z.coerce.number().positive().max(365).default(60),
		LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
		SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
		MAIL_FROM: z.string().min(3).default('Kuvend <no-reply@kuvend.localhost>'),
		RATE_LIMITS: z.enum(['standard', 'relaxed']).default('standard'),
		DOC_IDLE_SECONDS: z.coerce.number().min(0).max(86_400).default(30),
		VOTE_SCHEDULE_SECONDS: z.coerce.number().min(0.05).max(3600).default(5),
		BACKUP_DIR: z.string().min(1).optional(),
		// A timer cannot wait longer than about 24 days; a minute is the shortest schedule that is not a mistake.
		BACKUP_EVERY_HOURS: z.coerce
			.number()
			.min(0)
			.max(504, 'must be at most 504 (three weeks)')
			.refine((h) => h === 0 || h >= 1 / 60, 'must be 0 (no scheduled backups) or at least 0.0167 (one minute)')
			.default(24),
		BACKUP_KEEP: z.coerce.number().int('must be a whole number').min(1).max(1000).default(7),
		TRUST_PROXY: z
			.string()
			.max(2000)
			.transform((v, c) => {
				const trimmed = v.trim();
				if (/^\d+$/.test(trimmed)) {
					const hops = Number(trimmed);
					if (hops >= 1 && hops <= 10) return hops;
					c.addIssue({ code: 'custom', message: 'must be a hop count from 1 to 10, or proxy addresses' });
					return z.NEVER;
				}
				const list = trimmed.split(',').map((a) => a.trim()).filter(Boolean);
				if (list.length === 0 || !list.every(isTrustedProxyEntry)) {
					c.addIssue({ code: 'custom', message: 'must be a hop count, or a comma-separated list of proxy addresses or CIDR ranges (or loopback, linklocal, uniquelocal)' });
					return z.NEVER;
				}
				return list;
			})
			.optional(),
		METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
		REDIS_URL: z
			.string()
			.refine((u) => URL.canParse(u) && /^rediss?:$/.test(new URL(u).protocol), 'must be a redis:// or rediss:// URL')
			.optional(),
		REDIS_PREFIX: z
			.string()
			.regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1 to 64 letters, digits or _ . : -')
			.default('kuvend:'),
		WEBHOOKS_ALLOW_PRIVATE: z.enum(['0', '1']).default('0'),
		WEBHOOKS_TIMEOUT_SECONDS: z.coerce.number().min(1).max(30).default(10),
		BALLOT_KEY: z
			.string()
			.refine((k) => /^[A-Za-z0-9+/]{43}=$/.test(k.trim()) && Buffer.from(k.trim(), 'base64').length === 32, 'must be 32 random bytes in base64 (make one with: openssl rand -base64 32)')
			.optional()
	})
	// Each node makes its own ballot.key in its own data folder: a secret ballot sealed on one node could not be opened
	// by the node that closes the vote. One key, given to every node, or nothing starts.
	.refine((e) => !(e.DATABASE_URL && e.REDIS_URL) || e.BALLOT_KEY, {
		path: ['BALLOT_KEY'],
		message: 'must be set, the same on every node, when several nodes share PostgreSQL (DATABASE_URL and REDIS_URL): make one with openssl rand -base64 32'
	})
	.refine((e) => e.SESSION_ABSOLUTE_DAYS >= e.SESSION_IDLE_DAYS, {
		path: ['SESSION_ABSOLUTE_DAYS'],
		message: 'must be at least SESSION_IDLE_DAYS'
	});

/** Whether Express's own `trust proxy` compiler takes this entry (an address, a CIDR range or a named range). */
function isTrustedProxyEntry(entry: string): boolean {
	try {
		express().set('trust proxy', [entry]);
		return true;
	} catch {
		return false;
	}
}

/** Thrown when the environment cannot make a valid Config; the message says what to fix. */
export class ConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'ConfigError';
	}
}

/**
 * Builds the Config from an environment (process.env by default). Empty strings count as unset.
 * ORIGIN defaults to http://localhost:PORT, except on port 0 where the request's own host is used.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
	const cleaned = Object.fromEntries(Object.entries(environment).filter(([, v]) => v !== undefined && v !== ''));
	const parsed = schema.safeParse(cleaned);
	if (!parsed.success) {
		throw new ConfigError(
			parsed.error.issues.map((i) => {
				const name = String(i.path[0] ?? '');
				// A database or Redis URL may hold a password, and the ballot key is a secret: never echoed.
				const given = name in cleaned && !['DATABASE_URL', 'REDIS_URL', 'BALLOT_KEY'].includes(name) ? ` (got "${cleaned[name]}")` : '';
				return `${name}: ${i.message}${given}`;
			})
		);
	}
	const e = parsed.data;
	const dataDir = path.resolve(e.DATA_DIR);
	return Object.freeze({
		env: e.NODE_ENV,
		port: e.PORT,
		host: e.HOST,
		origin: e.ORIGIN ?? (e.PORT === 0 ? null : `http://localhost:${e.PORT}`),
		dataDir,
		databaseFile: e.DATABASE_FILE ? path.resolve(e.DATABASE_FILE) : path.join(dataDir, 'kuvend.db'),
		databaseUrl: e.DATABASE_URL ?? null,
		databasePoolSize: e.DATABASE_POOL_SIZE,
		seed: e.SEED,
		sessionIdleMs: e.SESSION_IDLE_DAYS * DAY,
		sessionAbsoluteMs: e.SESSION_ABSOLUTE_DAYS * DAY,
		logLevel: e.LOG_LEVEL,
		smtpUrl: e.SMTP_URL ?? null,
		mailFrom: e.MAIL_FROM,
		rateLimits: e.RATE_LIMITS,
		docIdleMs: e.DOC_IDLE_SECONDS * 1000,
		voteTickMs: e.VOTE_SCHEDULE_SECONDS * 1000,
		backupDir: e.BACKUP_DIR ? path.resolve(e.BACKUP_DIR) : path.join(dataDir, 'backups'),
		backupEveryMs: Math.round(e.BACKUP_EVERY_HOURS * 60 * 60 * 1000),
		backupKeep: e.BACKUP_KEEP,
		trustProxy: e.TRUST_PROXY ?? false,
		metricsToken: e.METRICS_TOKEN ?? null,
		redisUrl: e.REDIS_URL ?? null,
		redisPrefix: e.REDIS_PREFIX,
		ballotKey: e.BALLOT_KEY ? Buffer.from(e.BALLOT_KEY.trim(), 'base64') : null,
		webhooksAllowPrivate: e.WEBHOOKS_ALLOW_PRIVATE === '1',
		webhookTimeoutMs: e.WEBHOOKS_TIMEOUT_SECONDS * 1000
	});
}
