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
});
