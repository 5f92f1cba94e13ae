import { DomainError } from '../../src/lib/shared/errors.js';
import type { DocumentContent } from '../domain/document-rules.js';
import type { Authenticated } from './auth.service.js';

/**
 * What a person may do with a shared (Yjs) document. `suggest`: change the text only by suggestions of their own
 * (a draft's commenters who may not edit it; checked on every update, see server/domain/suggestions.ts).
 */
export type DocumentAccess = 'write' | 'suggest' | 'read';

/** Decides access to the documents of one kind (`draft`, `minutes`, ...); null means no access at all. */
export type DocumentAuthorizer = (auth: Authenticated | null, id: string) => Promise<DocumentAccess | null>;

const NAME = /^([a-z][a-z-]{0,30}):([A-Za-z0-9_-]{1,64})$/;

/**
 * The single place that decides who may open which collaborative document. Each feature that owns documents
 * registers an authorizer for its kind; a name of no registered kind does not exist.
 */
export class DocumentAccessService {
	readonly #kinds = new Map<string, { authorizer: DocumentAuthorizer; content: DocumentContent }>();

	register(kind: string, authorizer: DocumentAuthorizer, content: DocumentContent = 'any'): void {
		if (this.#kinds.has(kind)) throw new Error(`document kind "${kind}" is registered twice`);
		this.#kinds.set(kind, { authorizer, content });
	}

	/** What a document may hold (the name is one `authorize` accepted). */
	contentOf(name: string): DocumentContent {
		return this.#kinds.get(NAME.exec(name)?.[1] ?? '')?.content ?? 'any';
	}

	/** Throws not_found for unknown documents, unauthenticated / forbidden when access is refused. */
	async authorize(auth: Authenticated | null, name: string): Promise<DocumentAccess> {
		const match = NAME.exec(name);
		const authorizer = match ? this.#kinds.get(match[1])?.authorizer : undefined;
		if (!match || !authorizer) throw new DomainError('not_found', 'no such document');
		const access = await authorizer(auth, match[2]);
		if (!access) throw new DomainError(auth ? 'forbidden' : 'unauthenticated');
		return access;
	}
}
