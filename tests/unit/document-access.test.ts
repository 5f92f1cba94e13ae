import { describe, expect, it } from 'vitest';
import { DocumentAccessService } from '../../server/services/document-access.service.js';
import type { Authenticated } from '../../server/services/auth.service.js';

const someone = { actor: { id: 7, role: 'member', status: 'active' } } as Authenticated;

describe('document access', () => {
	const service = new DocumentAccessService();
	service.register('note', async (auth, id) => (id === 'open' ? 'read' : auth?.actor.id === 7 ? 'write' : null));

	it('asks the authorizer of the document kind', async () => {
		await expect(service.authorize(someone, 'note:mine')).resolves.toBe('write');
		await expect(service.authorize(null, 'note:open')).resolves.toBe('read');
	});

	it('refuses with unauthenticated for visitors and forbidden for members', async () => {
		await expect(service.authorize(null, 'note:mine')).rejects.toMatchObject({ code: 'unauthenticated' });
		await expect(service.authorize({ ...someone, actor: { ...someone.actor, id: 8 } }, 'note:mine')).rejects.toMatchObject({
			code: 'forbidden'
		});
	});

	it('treats unknown kinds and malformed names as missing', async () => {
		for (const name of ['draft:1', 'note', 'note:', 'note:../x', '', 'NOTE:1']) {
			await expect(service.authorize(someone, name)).rejects.toMatchObject({ code: 'not_found' });
		}
	});

	it('refuses a kind registered twice', () => {
		expect(() => service.register('note', async () => null)).toThrow(/twice/);
	});
});
