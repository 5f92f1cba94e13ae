import { describe, expect, it } from 'vitest';
import { ENDPOINTS, type Endpoint } from '../../src/lib/shared/api/endpoints.js';
import { exampleOf } from '../../src/lib/shared/api/example.js';
import { openApiDocument } from '../../src/lib/shared/api/openapi.js';
import { apiRegistry } from '../../src/lib/shared/api/schemas.js';
import { decodeCursor, encodeCursor, keysetPage, pageAfter } from '../../server/http/api/paging.js';
import { validate } from '../integration/helpers/json-schema.js';

type Json = Record<string, unknown>;
const doc = openApiDocument() as { paths: Record<string, { get: { responses: Record<string, { content?: Record<string, { schema: Json }> }> } }>; components: { schemas: Record<string, Json> } };

describe('the docs page examples', () => {
	it('are valid answers by the document and by the schemas the server serialises with', () => {
		for (const e of ENDPOINTS as readonly Endpoint[]) {
			const example = exampleOf(doc.paths[e.path].get.responses['200'].content!['application/json'].schema, doc.components.schemas);
			expect(validate(example, { $ref: `#/components/schemas/${apiRegistry.get(e.response)!.id}` }, doc.components.schemas), e.id).toEqual([]);
			expect(e.response.safeParse(example).success, e.id).toBe(true);
		}
	});
});

describe('API paging', () => {
	const items = ['a', 'b', 'c', 'd', 'e'].map((slug) => ({ slug }));
	it('walks a list in its order, each item once', () => {
		const seen: string[] = [];
		let cursor: string | undefined;
		do {
			const page = pageAfter(items, (i) => i.slug, cursor, 2);
			seen.push(...page.data.map((i) => i.slug));
			cursor = page.next ?? undefined;
		} while (cursor);
		expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
	});

	it('refuses cursors that are not ours, or name an item no longer there, as invalid input', () => {
		for (const cursor of ['%%%', encodeCursor({ slug: 'a' }), encodeCursor('zz'), Buffer.from('not json').toString('base64url')]) {
			expect(() => pageAfter(items, (i) => i.slug, cursor, 2)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
		}
		expect(decodeCursor(encodeCursor([1, 2]), (v): v is number[] => Array.isArray(v))).toEqual([1, 2]);
	});

	it('pages rows read from a position: the row past the page only tells that a next page exists', () => {
		const rows = [5, 4, 3].map((id) => ({ id, at: id * 10 }));
		expect(keysetPage(rows, 2, (r) => [r.at, r.id], (r) => r.id)).toEqual({ data: [5, 4], next: encodeCursor([40, 4]) });
		expect(keysetPage(rows.slice(0, 2), 2, (r) => [r.at, r.id], (r) => r.id)).toEqual({ data: [5, 4], next: null });
		expect(keysetPage([], 2, (r) => r, (r) => r)).toEqual({ data: [], next: null });
	});
});
