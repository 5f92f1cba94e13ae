import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import * as Y from 'yjs';
import { migrateToLatest } from '../../server/db/migrate.js';
import { openPostgres } from '../../server/db/dialect/postgres.js';
import { PostgresDocumentStore } from '../../server/db/repositories/document-postgres.repository.js';
import { createLogger } from '../../server/logger.js';
import { DocumentsService } from '../../server/services/documents.service.js';
import { tempDir } from './helpers/app.js';
import { databaseEnv, dropTestDatabases, postgresAnswers } from './helpers/postgres.js';

// Group commit on PostgreSQL (issue #16: update p99 across nodes): a document's updates that arrive while its
// writes are under way are stored together, one statement for each group, each update still with its own number.
const ADMIN_URL = process.env.KUVEND_TEST_POSTGRES || 'postgres://postgres@127.0.0.1:5432/test';
const PG = postgresAnswers(ADMIN_URL);
afterAll(() => dropTestDatabases());

/** An update typing `text` at the end of the document's text, as an editor on `doc` would. */
function typed(doc: Y.Doc, text: string): Uint8Array {
	let update: Uint8Array | null = null;
	const take = (u: Uint8Array) => (update = u);
	doc.on('update', take);
	doc.getText('t').insert(doc.getText('t').length, text);
	doc.off('update', take);
	return update!;
}

describe.runIf(PG)('a busy document on PostgreSQL', () => {
	it('stores what waits in groups, every update once and in order, from two nodes at once', async () => {
		const dir = tempDir();
		const { db, pool } = await openPostgres(databaseEnv(dir, ADMIN_URL).DATABASE_URL, { poolSize: 4 });
		try {
			await migrateToLatest(db);
			const store = new PostgresDocumentStore(db);
			const statements = { one: 0, many: 0 };
			const counted = Object.assign(Object.create(store) as PostgresDocumentStore, {
				append: (name: string, seq: number, update: Uint8Array) => (statements.one++, store.append(name, seq, update)),
				appendMany: (name: string, updates: Uint8Array[]) => (statements.many++, store.appendMany(name, updates))
			});
			const logger = createLogger('error');
			const [a, b] = [new DocumentsService(counted, logger), new DocumentsService(counted, logger)];
			const [onA, onB] = [await a.acquire('draft:1'), await b.acquire('draft:1')];
			// Two editors, one on each node, each typing 40 keystrokes without waiting for the log.
			const [editorA, editorB] = [new Y.Doc(), new Y.Doc()];
			const writes: (void | Promise<void>)[] = [];
			for (let i = 0; i < 40; i++) {
				writes.push(onA.write(typed(editorA, 'a'), 'editor-a'));
				writes.push(onB.write(typed(editorB, 'b'), 'editor-b'));
			}
			await Promise.all(writes);
			// Shown to matter: without grouping each of the 80 updates was its own statement (statements.one was 80).
			expect(statements.one + statements.many).toBeLessThan(20);
			const log = await store.since('draft:1', 0);
			expect(log.updates.map((u) => u.seq)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
			// Read back whole, every keystroke of both is there, each once.
			const reread = new Y.Doc();
			for (const { update } of log.updates) Y.applyUpdate(reread, update);
			const text = reread.getText('t').toString();
			expect([...text].filter((c) => c === 'a')).toHaveLength(40);
			expect([...text].filter((c) => c === 'b')).toHaveLength(40);
			// Each node holds its own editor's text, applied in the order typed.
			expect(onA.doc.getText('t').toString()).toBe('a'.repeat(40));
			expect(onB.doc.getText('t').toString()).toBe('b'.repeat(40));
			await a.close();
			await b.close();
		} finally {
			await db.destroy();
			await pool.end().catch(() => undefined);
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
