import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('loadConfig', () => {
	it('gives working defaults for a newcomer', () => {
		const c = loadConfig({});
		expect(c.port).toBe(3000);
		expect(c.origin).toBe('http://localhost:3000');
		expect(c.dataDir).toBe(path.resolve('data'));
		expect(c.databaseFile).toBe(path.resolve('data/kuvend.db'));
		expect(c.seed).toBe('demo');
		expect(Object.isFrozen(c)).toBe(true);
	});

	it('derives the origin from PORT and normalises an explicit ORIGIN', () => {
		expect(loadConfig({ PORT: '8080' }).origin).toBe('http://localhost:8080');
		expect(loadConfig({ ORIGIN: 'https://kuvend.example.org/' }).origin).toBe('https://kuvend.example.org');
		expect(loadConfig({ PORT: '0' }).origin).toBeNull();
	});

	it('takes TRUST_PROXY as a hop count or proxy addresses, and trusts no proxy when it is unset', () => {
		expect(loadConfig({}).trustProxy).toBe(false);
		expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
		expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8 ,::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', '::1']);
		// "true" would let any client pick its own address; 0 hops is a mistake for "unset".
		for (const wrong of ['true', '0', '11', '10.0.0.300', '10.0.0.0/33', 'proxy.example.org', ','])
			expect(() => loadConfig({ TRUST_PROXY: wrong }), wrong).toThrow(/TRUST_PROXY: /);
	});

	it('takes a METRICS_TOKEN long enough not to be guessed', () => {
		expect(loadConfig({}).metricsToken).toBeNull();
		expect(loadConfig({ METRICS_TOKEN: 'x'.repeat(32) }).metricsToken).toBe('x'.repeat(32));
		expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
	});

	it('keeps everything in one process without REDIS_URL, and never echoes a Redis URL it refuses', () => {
		expect(loadConfig({})).toMatchObject({ redisUrl: null, redisPrefix: 'kuvend:' });
		expect(loadConfig({ REDIS_URL: 'redis://:secret@10.0.0.5:6379/2', REDIS_PREFIX: 'net-a:' })).toMatchObject({ redisUrl: 'redis://:secret@10.0.0.5:6379/2', redisPrefix: 'net-a:' });
		const refused = (() => {
			try {
				loadConfig({ REDIS_URL: 'http://secret@redis' });
			} catch (error) {
				return String(error);
			}
		})();
		expect(refused).toMatch(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
		expect(refused).not.toContain('secret');
		expect(() => loadConfig({ REDIS_PREFIX: 'has space' })).toThrow(/REDIS_PREFIX: must be 1 to 64 letters/);
	});

	it('asks several nodes on PostgreSQL for one ballot key, and never echoes it', () => {
		const key = Buffer.alloc(32, 1).toString('base64');
		const pg = { DATABASE_URL: 'postgres://kuvend@db/kuvend', REDIS_URL: 'redis://127.0.0.1:6379' };
		expect(() => loadConfig(pg)).toThrow(/BALLOT_KEY: must be set, the same on every node/);
		expect(loadConfig({ ...pg, BALLOT_KEY: key }).ballotKey).toEqual(Buffer.alloc(32, 1));
		// One node keeps its key in its data folder; so does SQLite, which seals nothing.
		expect(loadConfig({ DATABASE_URL: pg.DATABASE_URL }).ballotKey).toBeNull();
		expect(loadConfig({ REDIS_URL: pg.REDIS_URL }).ballotKey).toBeNull();
		const short = Buffer.alloc(16, 9).toString('base64');
		expect(() => loadConfig({ BALLOT_KEY: short })).toThrow(/BALLOT_KEY: must be 32 random bytes in base64/);
		expect(() => loadConfig({ BALLOT_KEY: short })).not.toThrow(new RegExp(short.replace(/[+/=]/g, '.')));
	});

	it('treats empty variables as unset', () => {
		expect(loadConfig({ ORIGIN: '', PORT: '' }).origin).toBe('http://localhost:3000');
	});

	it('refuses invalid values with a message naming each variable and what was given', () => {
		let error: unknown;
		try {
			loadConfig({ PORT: 'eighty', ORIGIN: 'ftp://x', SEED: 'lots', SESSION_IDLE_DAYS: '30', SESSION_ABSOLUTE_DAYS: '7' });
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ConfigError);
		const message = (error as Error).message;
		expect(message).toMatch(/PORT: .*\(got "eighty"\)/);
		expect(message).toMatch(/ORIGIN: /);
		expect(message).toMatch(/SEED: .*\(got "lots"\)/);
	});

	it('requires the absolute session lifetime to cover the idle one', () => {
		expect(() => loadConfig({ SESSION_IDLE_DAYS: '30', SESSION_ABSOLUTE_DAYS: '7' })).toThrow(/SESSION_ABSOLUTE_DAYS/);
	});

	it('backs up daily into the data folder, keeping seven, unless told otherwise', () => {
		const c = loadConfig({ DATA_DIR: '/srv/kuvend' });
		expect(c.backupDir).toBe('/srv/kuvend/backups');
		expect(c.backupEveryMs).toBe(24 * 60 * 60 * 1000);
		expect(c.backupKeep).toBe(7);
		const d = loadConfig({ BACKUP_DIR: '/mnt/copies', BACKUP_EVERY_HOURS: '0.5', BACKUP_KEEP: '30' });
		expect([d.backupDir, d.backupEveryMs, d.backupKeep]).toEqual(['/mnt/copies', 30 * 60 * 1000, 30]);
		expect(loadConfig({ BACKUP_EVERY_HOURS: '0' }).backupEveryMs).toBe(0);
	});

	it('refuses backup settings that cannot work, naming what to give', () => {
		expect(() => loadConfig({ BACKUP_EVERY_HOURS: 'daily' })).toThrow(/BACKUP_EVERY_HOURS: .*\(got "daily"\)/);
		expect(() => loadConfig({ BACKUP_EVERY_HOURS: '0.001' })).toThrow(/BACKUP_EVERY_HOURS: must be 0 \(no scheduled backups\) or at least 0.0167 \(one minute\)/);
		expect(() => loadConfig({ BACKUP_EVERY_HOURS: '1000' })).toThrow(/BACKUP_EVERY_HOURS: must be at most 504/);
		expect(() => loadConfig({ BACKUP_KEEP: '2.5' })).toThrow(/BACKUP_KEEP: must be a whole number/);
		expect(() => loadConfig({ BACKUP_KEEP: '0' })).toThrow(/BACKUP_KEEP: /);
	});
});
