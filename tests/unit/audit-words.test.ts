import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { AUDIT_ACTIONS } from '../../src/lib/shared/audit.js';

const serverFiles = (dir: string): string[] =>
	fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? serverFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

/**
 * Every action code the server writes to the audit log: the literals of an entry's `action:`, or the literals of a one-line
 * call to a service's own audit helper (`this.#audit(trx, me.id, archived ? 'group.archived' : 'group.restored', …)`).
 */
function writtenActions(): Set<string> {
	const found = new Set<string>();
	for (const file of serverFiles(path.resolve('server'))) {
		const lines = fs.readFileSync(file, 'utf8').split('\n');
		for (const [i, line] of lines.entries()) {
			// The moderation log has actions too (logModeration): only what goes to insertAudit counts here.
			// `action:` takes a literal or a choice between literals (`adopted ? 'draft.adopted' : 'draft.rejected'`).
			if (lines.slice(Math.max(0, i - 3), i + 1).some((l) => l.includes('insertAudit('))) {
				for (const x of line.matchAll(/action: ([^,{}]+)/g)) for (const y of x[1].matchAll(/'([a-z]+\.[a-z_]+)'/g)) found.add(y[1]);
			}
			if (/#audit\(trx|this\.audit\(/.test(line)) for (const x of line.matchAll(/'([a-z]+\.[a-z_]+)'/g)) found.add(x[1]);
		}
	}
	return found;
}

describe('the audit log in words', () => {
	it('has words for every kind of entry the server writes', () => {
		const written = writtenActions();
		// The scan itself works: it finds entries written in each style.
		for (const action of ['role.changed', 'group.archived', 'vote.closed', 'setup.finished', 'draft.rejected', 'amendment.rejected']) expect(written).toContain(action);
		expect([...written].filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual([]);
	});
});
