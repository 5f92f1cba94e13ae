import type { Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database } from '../db/database.js';
import * as repo from '../db/repositories/field.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { freeSlug, MAX_FIELD_NAME, MAX_FIELDS, moveInOrder } from '../domain/fields.js';
import { hasRole, type Actor } from '../domain/permissions.js';
import type { EventBus } from '../events/bus.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { localized, localizedSchema, parseLocalized, storeLocalized, type Localized } from '../../src/lib/shared/localized.js';
import { LOCALES, type Locale } from '../../src/lib/shared/types.js';
import type { Authenticated } from './auth.service.js';

/** A field as coordinators manage it. */
export interface FieldView {
	slug: string;
	name: Localized;
	position: number;
	archived: boolean;
	/** Its forum space's address. */
	spaceSlug: string;
}

/** A name as the form sends it: one text per language, as typed. */
export type NameInput = Partial<Record<Locale, string>>;

type Conn = Db | Transaction<Database>;

const nameSchema = localizedSchema(MAX_FIELD_NAME, true);

/**
 * The network's fields of action, as data: anyone reads their names (in their language, falling back to the
 * network's primary one); coordinators add, rename, reorder, archive and merge them, each change audited. Each field
 * has its forum space, created with it and kept when it is archived; a merge moves the space's threads.
 *
 * The list is read on every page (the root layout names fields), so it is kept here once loaded and dropped on every
 * change made through this service. In one process that is every change; scaled out, each process keeps its own copy
 * and the cross-node `fields.changed` event (DESIGN.md, page-cache invalidation) must drop it as well.
 */
export class FieldsService {
	#cache: Promise<repo.FieldWithSpace[]> | null = null;

	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		/** The network's primary language: a name missing in the reader's language is shown in it. */
		private readonly primaryLanguage: () => Locale,
		private readonly clock: () => number = Date.now
	) {
		bus.on('fields.changed', () => this.forget());
	}

	/** Reads the fields afresh next time (they changed here, or on another node). */
	forget(): void {
		this.#cache = null;
	}

	#all(): Promise<repo.FieldWithSpace[]> {
		this.#cache ??= repo.listFields(this.db).catch((error) => {
			this.#cache = null;
			throw error;
		});
		return this.#cache;
	}

	/**
	 * Every field's name in `locale` by slug — archived and merged ones too, so that what still names them reads well.
	 * Public: field names are on the network's public face.
	 */
	async names(locale: Locale): Promise<Record<string, string>> {
		const primary = this.primaryLanguage();
		return Object.fromEntries((await this.#all()).map((f) => [f.slug, localized(parseLocalized(f.name), locale, primary) || f.slug]));
	}

	/** The fields for the coordinators' page: open and archived ones in order (merged ones are gone from view). */
	async manage(auth: Authenticated | null): Promise<FieldView[]> {
		this.#coordinator(auth);
		return (await this.#all())
			.filter((f) => f.merged_into === null)
			.map((f) => ({ slug: f.slug, name: parseLocalized(f.name), position: f.position, archived: f.archived_at !== null, spaceSlug: f.space_slug ?? f.slug }));
	}

	/** Adds a field at the end, with its forum space (for members). Returns its slug, made from its name. */
	async add(auth: Authenticated | null, input: NameInput): Promise<string> {
		const coordinator = this.#coordinator(auth);
		const name = this.#checkName(input);
		const now = this.clock();
		const slug = await this.db.transaction().execute(async (trx) => {
			const all = await repo.listFields(trx);
			if (all.filter((f) => f.merged_into === null).length >= MAX_FIELDS) {
				throw new DomainError('invalid_input', 'too many fields', { name: 'too_many_fields' });
			}
			const used = await repo.usedSlugs(trx);
			const slug = freeSlug(name.en || name[this.primaryLanguage()] || LOCALES.map((l) => name[l]).find(Boolean) || '', (s) => used.has(s));
			const position = all.filter((f) => f.merged_into === null).length + 1;
			const id = await repo.insertField(trx, { slug, name: storeLocalized(name), position });
			await repo.ensureFieldCategories(trx);
			await insertAudit(trx, { actor_id: coordinator.id, action: 'field.added', subject_type: 'field', subject_id: String(id), data: { slug, name }, created_at: now });
			return slug;
		});
		this.#changed();
		return slug;
	}

	/** Renames a field in any of the three languages; its slug (and so its links) stays. */
	async rename(auth: Authenticated | null, slug: string, input: NameInput): Promise<void> {
		const coordinator = this.#coordinator(auth);
		const name = this.#checkName(input);
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			const field = await this.#open(trx, slug, { archivedToo: true });
			await repo.updateField(trx, field.id, { name: storeLocalized(name) });
			await insertAudit(trx, { actor_id: coordinator.id, action: 'field.renamed', subject_type: 'field', subject_id: String(field.id), data: { slug, from: parseLocalized(field.name), to: name }, created_at: now });
		});
		this.#changed();
	}

	/** Moves a field one place up or down; positions stay 1, 2, 3… At either end nothing changes. */
	async move(auth: Authenticated | null, slug: string, direction: string): Promise<void> {
		const coordinator = this.#coordinator(auth);
		if (direction !== 'up' && direction !== 'down') throw new DomainError('invalid_input', 'up or down', { direction: 'choose_one' });
		const now = this.clock();
		const moved = await this.db.transaction().execute(async (trx) => {
			const field = await this.#open(trx, slug, { archivedToo: true });
			const ids = (await repo.listFields(trx)).filter((f) => f.merged_into === null).map((f) => f.id);
			const next = moveInOrder(ids, field.id, direction);
			if (next === ids) return false;
			await repo.setFieldOrder(trx, next);
			await insertAudit(trx, { actor_id: coordinator.id, action: 'field.moved', subject_type: 'field', subject_id: String(field.id), data: { slug, direction }, created_at: now });
			return true;
		});
		if (moved) this.#changed();
	}

	/** Archives a field (its threads stay readable, its space takes no new threads) or brings it back. */
	async setArchived(auth: Authenticated | null, slug: string, archived: boolean): Promise<void> {
		const coordinator = this.#coordinator(auth);
		const now = this.clock();
		const changed = await this.db.transaction().execute(async (trx) => {
			const field = await this.#open(trx, slug, { archivedToo: true });
			if ((field.archived_at !== null) === archived) return false;
			await repo.updateField(trx, field.id, { archived_at: archived ? now : null });
			await insertAudit(trx, { actor_id: coordinator.id, action: archived ? 'field.archived' : 'field.unarchived', subject_type: 'field', subject_id: String(field.id), data: { slug }, created_at: now });
			return true;
		});
		if (changed) this.#changed();
	}

	/**
	 * Merges field `from` into field `into`: `from`'s threads move to `into`'s space (counts and search follow), its
	 * members and organisations now have `into` (once), and old links to its space redirect there. `into` must be
	 * open; `from` may be archived. Returns how many threads moved.
	 */
	async merge(auth: Authenticated | null, from: string, into: string): Promise<number> {
		const coordinator = this.#coordinator(auth);
		if (!into) throw new DomainError('invalid_input', 'merge into which field', { into: 'required' });
		if (from === into) throw new DomainError('invalid_input', 'a field cannot be merged into itself', { into: 'merge_same' });
		const now = this.clock();
		const result = await this.db.transaction().execute(async (trx) => {
			const a = await this.#open(trx, from, { archivedToo: true });
			const b = await repo.findField(trx, into);
			if (!b || b.merged_into !== null) throw new DomainError('invalid_input', 'no such field', { into: 'choose_one' });
			if (b.archived_at !== null) throw new DomainError('invalid_input', 'merging into an archived field', { into: 'merge_archived' });
			// A field always has its space; one missing (a database written by hand) is made now rather than failing.
			await repo.ensureFieldCategories(trx);
			const spaces = await repo.spaceIdsOf(trx, [a.id, b.id]);
			const moved = await repo.mergeField(trx, { id: a.id, spaceId: spaces.get(a.id)! }, { id: b.id, spaceId: spaces.get(b.id)! }, now);
			await repo.setFieldOrder(trx, (await repo.listFields(trx)).filter((f) => f.merged_into === null).map((f) => f.id));
			await insertAudit(trx, { actor_id: coordinator.id, action: 'field.merged', subject_type: 'field', subject_id: String(a.id), data: { from, into, threads: moved }, created_at: now });
			return { moved, intoSpace: spaces.get(b.id)! };
		});
		this.#changed();
		// The moved threads now take the visibility of their new space: who may read them is checked again.
		this.bus.emit('access.changed', { categoryId: result.intoSpace });
		return result.moved;
	}

	async #open(trx: Conn, slug: string, { archivedToo }: { archivedToo: boolean }) {
		const field = await repo.findField(trx, slug);
		if (!field || field.merged_into !== null || (!archivedToo && field.archived_at !== null)) throw new DomainError('not_found');
		return field;
	}

	/** The name in three languages, each bounded, at least one given; problems named per language input. */
	#checkName(input: NameInput): Localized {
		const parsed = nameSchema.safeParse({ sq: input.sq ?? '', en: input.en ?? '', el: input.el ?? '' });
		if (parsed.success) return parseLocalized(JSON.stringify(parsed.data));
		const problems: Record<string, string> = {};
		for (const issue of parsed.error.issues) {
			const l = issue.path[0];
			if (typeof l === 'string' && (LOCALES as readonly string[]).includes(l)) problems[`name_${l}`] = 'too_long';
			else problems.name = 'required';
		}
		throw new DomainError('invalid_input', 'the name has problems', problems);
	}

	#changed(): void {
		this.#cache = null;
		this.bus.emit('fields.changed', {});
	}

	#coordinator(auth: Authenticated | null): Actor {
		if (!auth) throw new DomainError('unauthenticated');
		if (!hasRole(auth.actor, 'coordinator')) throw new DomainError('forbidden');
		return auth.actor;
	}
}
