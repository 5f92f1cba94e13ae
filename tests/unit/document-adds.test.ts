import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addsTo } from '../../server/domain/document-rules.js';

describe('addsTo', () => {
	const paragraph = (doc: Y.Doc, text: string) => doc.getText('t').insert(doc.getText('t').length, text);

	// Without the delete-set half, the deletion below counted as nothing new (checked) and would never be stored.
	it('tells a new change from one the document already holds, deletions included', () => {
		const server = new Y.Doc();
		const client = new Y.Doc();
		paragraph(client, 'fjala e parë');
		const first = Y.encodeStateAsUpdate(client);
		expect(addsTo(server, first)).toBe(true);
		Y.applyUpdate(server, first);
		// A reconnecting client's sync step 2: nothing the server lacks, though it repeats every deletion.
		client.getText('t').delete(0, 2);
		const deletion = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
		expect(addsTo(server, deletion)).toBe(true);
		Y.applyUpdate(server, deletion);
		expect(addsTo(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)))).toBe(false);
		expect(addsTo(server, Y.encodeStateAsUpdate(client))).toBe(false);
	});
});
