import fs from 'node:fs';
import path from 'node:path';
import { startMailServer } from './mail-server.js';

/**
 * Every spec takes `test` from helpers.ts, whose automatic fixture fails a test on any console warning or error:
 * one that takes it from '@playwright/test' directly would run unguarded, so the run stops before it starts.
 */
function specsUseTheGuard(): void {
	const dir = path.resolve('tests/e2e');
	const unguarded = fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.spec.ts'))
		.filter((file) => /import\s*\{[^}]*\btest\b[^}]*\}\s*from\s*'@playwright\/test'/.test(fs.readFileSync(path.join(dir, file), 'utf8')));
	if (unguarded.length) throw new Error(`Take test from './helpers.js' (it fails on console warnings and errors): ${unguarded.join(', ')}`);
}

/** A real SMTP server on loopback for the whole browser run; Kuvend's SMTP_URL points at it. */
export default async function globalSetup(): Promise<() => Promise<void>> {
	specsUseTheGuard();
	return startMailServer();
}
