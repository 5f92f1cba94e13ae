import type { Db } from '../db/client.js';
import { auditSubjectNames, type AuditSubjectKeys } from '../db/repositories/audit.repository.js';
import type { listAudit } from '../db/repositories/membership.repository.js';
import { AUDIT_ACTIONS, OUTCOME_ACTIONS, type AuditEntryView, type AuditLink, type AuditValue } from '../../src/lib/shared/audit.js';
import { localized, parseLocalized } from '../../src/lib/shared/localized.js';
import { ROLES, type Locale, type Role } from '../../src/lib/shared/types.js';

type AuditRow = Awaited<ReturnType<typeof listAudit>>[number];
type Data = Record<string, unknown>;

const KNOWN = new Set<string>(AUDIT_ACTIONS);
const BY_OUTCOME = new Set<string>(OUTCOME_ACTIONS);

const parseData = (stored: string): Data => {
	try {
		const value: unknown = JSON.parse(stored);
		return value && typeof value === 'object' && !Array.isArray(value) ? (value as Data) : {};
	} catch {
		return {};
	}
};
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : null);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 500) : null);
const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/**
 * The audit trail in words: the stored rows (ids, slugs, codes, JSON data) become names with links, old → new values
 * and counts, for the coordinators' page. Every name is looked up at reading time, so a renamed group reads by its
 * name today; what is gone (a deleted account, a removed vote) reads as gone, never as `user:6`.
 */
export async function describeAuditTrail(db: Db, rows: AuditRow[], locale: Locale, primary: Locale): Promise<AuditEntryView[]> {
	const data = new Map(rows.map((r) => [r.id, parseData(r.data)]));
	const keys: AuditSubjectKeys = { users: [], groups: [], organisations: [], fieldIds: [], fieldSlugs: [], votes: [], meetings: [], drafts: [] };
	const add = <K extends keyof AuditSubjectKeys>(key: K, value: AuditSubjectKeys[K][number] | null) => {
		if (value !== null && !(keys[key] as unknown[]).includes(value)) (keys[key] as unknown[]).push(value);
	};
	for (const r of rows) {
		const d = data.get(r.id)!;
		if (r.actor_id !== null) add('users', r.actor_id);
		add('users', int(d.userId));
		if (r.subject_type === 'user') add('users', int(r.subject_id));
		if (r.subject_type === 'group') add('groups', r.subject_id);
		if (r.subject_type === 'organisation') add('organisations', r.subject_id);
		if (r.subject_type === 'field') add('fieldIds', int(r.subject_id));
		if (r.action === 'field.merged') {
			add('fieldSlugs', text(d.from));
			add('fieldSlugs', text(d.into));
		}
		if (r.subject_type === 'vote') add('votes', int(r.subject_id));
		if (BY_OUTCOME.has(r.action)) add('votes', int(d.voteId));
		if (r.subject_type === 'meeting') add('meetings', int(r.subject_id));
		if (r.subject_type === 'draft') add('drafts', int(r.subject_id));
	}
	const names = await auditSubjectNames(db, keys);

	const users = new Map(names.users.map((u) => [u.id, u]));
	const person = (id: number | null): AuditLink | null => {
		if (id === null) return null;
		const u = users.get(id);
		// A deleted account's name is gone on purpose: it is named as nobody in particular, without a link.
		return u && u.status !== 'deleted' ? { name: u.display_name, href: `/members/${id}` } : null;
	};
	const fieldName = (f: { name: string; slug: string }) => localized(parseLocalized(f.name), locale, primary) || f.slug;
	const fieldsById = new Map(names.fields.map((f) => [f.id, f]));
	const fieldsBySlug = new Map(names.fields.map((f) => [f.slug, f]));
	const field = (f: { name: string; slug: string; merged_into: number | null } | undefined): AuditLink | null =>
		f ? { name: fieldName(f), href: f.merged_into === null ? '/coordination/fields' : null } : null;
	const titled = <T extends { title: string }>(map: Map<number, T>, id: number | null, path: string): AuditLink | null => {
		const row = id === null ? undefined : map.get(id);
		return row ? { name: row.title, href: `/${path}/${id}` } : null;
	};
	const groups = new Map(names.groups.map((g) => [g.slug, g]));
	const organisations = new Map(names.organisations.map((o) => [o.slug, o]));
	const votes = new Map(names.votes.map((v) => [v.id, v]));
	const meetings = new Map(names.meetings.map((v) => [v.id, v]));
	const drafts = new Map(names.drafts.map((v) => [v.id, v]));

	const subjectOf = (r: AuditRow): AuditLink | null => {
		const id = int(r.subject_id);
		switch (r.subject_type) {
			case 'user':
				return person(id);
			case 'group': {
				const g = groups.get(r.subject_id);
				return g ? { name: g.name, href: `/groups/${g.slug}` } : null;
			}
			case 'organisation': {
				const o = organisations.get(r.subject_id);
				return o ? { name: o.name, href: `/organisations/${o.slug}` } : null;
			}
			case 'field':
				return field(id === null ? undefined : fieldsById.get(id));
			case 'vote':
				return titled(votes, id, 'votes');
			case 'meeting':
				return titled(meetings, id, 'meetings');
			case 'draft':
				return titled(drafts, id, 'drafts');
			default:
				return null;
		}
	};

	const changeOf = (action: string, d: Data): AuditEntryView['change'] => {
		if (action === 'role.changed' && isRole(d.to)) return { from: isRole(d.from) ? { kind: 'role', role: d.from } : null, to: { kind: 'role', role: d.to } };
		if (action === 'group.role_changed' && (d.role === 'member' || d.role === 'facilitator')) return { from: null, to: { kind: 'group_role', role: d.role } };
		if (action === 'field.renamed') {
			const from = localized(parseLocalized(JSON.stringify(d.from ?? {})), locale, primary);
			const to = localized(parseLocalized(JSON.stringify(d.to ?? {})), locale, primary);
			if (to) return { from: from ? { kind: 'name', name: from } : null, to: { kind: 'name', name: to } };
		}
		if (action === 'field.merged') {
			const from = fieldsBySlug.get(text(d.from) ?? '');
			const into = fieldsBySlug.get(text(d.into) ?? '');
			const name = (f: typeof from, slug: unknown): AuditValue => ({ kind: 'name', name: f ? fieldName(f) : (text(slug) ?? '?') });
			return { from: name(from, d.from), to: name(into, d.into) };
		}
		// A webhook endpoint has no page of its own: its URL says which it was.
		if ((action === 'webhook.registered' || action === 'webhook.removed') && text(d.url)) return { from: null, to: { kind: 'name', name: text(d.url)! } };
		return null;
	};

	const countOf = (action: string, d: Data): { count: number | null; of: number | null } => {
		switch (action) {
			case 'vote.opened':
				return { count: int(d.eligible), of: null };
			case 'vote.closed':
				return { count: int(d.participants), of: int(d.eligible) };
			case 'field.merged':
				return { count: int(d.threads), of: null };
			case 'meeting.created':
				return { count: int(d.items), of: null };
			case 'draft.restored':
				return { count: int(d.version), of: null };
			case 'amendment.adopted':
			case 'amendment.rejected':
				return { count: int(d.amendmentId), of: null };
			default:
				return { count: null, of: null };
		}
	};

	return rows.map((r) => {
		const d = data.get(r.id)!;
		const actor: AuditEntryView['actor'] =
			r.actor_id === null
				? // No actor: a vote's outcome, a vote closed on its schedule, or the server's command line (operator.service.ts).
					BY_OUTCOME.has(r.action)
					? { kind: 'outcome' }
					: r.subject_type === 'vote'
						? { kind: 'schedule' }
						: { kind: 'command_line' }
				: person(r.actor_id)
					? { kind: 'member', person: person(r.actor_id)! }
					: { kind: 'former' };
		const known = KNOWN.has(r.action);
		return {
			id: r.id,
			createdAt: r.created_at,
			actor,
			action: r.action,
			known,
			subjectType: r.subject_type,
			subject: subjectOf(r),
			person: r.subject_type === 'user' ? null : person(int(d.userId)),
			vote: BY_OUTCOME.has(r.action) ? titled(votes, int(d.voteId), 'votes') : null,
			change: known ? changeOf(r.action, d) : null,
			...(known ? countOf(r.action, d) : { count: null, of: null }),
			reason: r.action === 'account.suspended' ? text(d.reason) : null
		};
	});
}
