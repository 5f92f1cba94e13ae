import { describe, expect, it } from 'vitest';
import { diffStats, wordDiff } from '../../server/domain/diff.js';
import { canAmendDraft, canEditDraft, canManageDraft, canReadDraft, transitionProblem, type DraftFacts } from '../../server/domain/drafts.js';
import type { Actor } from '../../server/domain/permissions.js';

const member: Actor = { id: 1, role: 'member', status: 'active' };
const author: Actor = { id: 2, role: 'member', status: 'active' };
const coordinator: Actor = { id: 3, role: 'coordinator', status: 'active' };
const applicant: Actor = { id: 4, role: 'member', status: 'applicant' };
const facts = (over: Partial<DraftFacts> = {}): DraftFacts => ({ status: 'drafting', visibility: 'members', groupId: null, createdBy: 2, inGroup: false, facilitates: false, ...over });

describe('who may do what with a draft', () => {
	it('lets members edit a network draft while drafting or in review, nobody once frozen', () => {
		expect(canEditDraft(member, facts())).toBe(true);
		expect(canEditDraft(member, facts({ status: 'review' }))).toBe(true);
		for (const status of ['frozen', 'adopted', 'rejected', 'archived'] as const) {
			expect(canEditDraft(coordinator, facts({ status }))).toBe(false);
		}
		expect(canEditDraft(applicant, facts())).toBe(false);
		expect(canEditDraft(null, facts({ visibility: 'public' }))).toBe(false);
	});

	it('keeps a group draft to its group (and coordinators), readable by all members or by anyone when public', () => {
		expect(canEditDraft(member, facts({ groupId: 7 }))).toBe(false);
		expect(canEditDraft(member, facts({ groupId: 7, inGroup: true }))).toBe(true);
		expect(canEditDraft(coordinator, facts({ groupId: 7 }))).toBe(true);
		expect(canReadDraft(member, facts({ groupId: 7 }))).toBe(true);
		expect(canReadDraft(null, facts())).toBe(false);
		expect(canReadDraft(null, facts({ visibility: 'public' }))).toBe(true);
	});

	it('moves through the lifecycle only by its stewards and only along its steps', () => {
		expect(canManageDraft(author, facts())).toBe(true);
		expect(canManageDraft(member, facts({ groupId: 7, inGroup: true, facilitates: true }))).toBe(true);
		expect(transitionProblem(member, facts(), 'review')).toBe('forbidden');
		expect(transitionProblem(author, facts(), 'review')).toBeNull();
		expect(transitionProblem(author, facts(), 'adopted')).toBe('conflict');
		expect(transitionProblem(coordinator, facts({ status: 'archived' }), 'drafting')).toBe('conflict');
		expect(canAmendDraft(member, facts({ status: 'frozen' }))).toBe(true);
		expect(canAmendDraft(member, facts())).toBe(false);
	});
});

describe('word diff', () => {
	it('marks inserted and deleted words and keeps the rest', () => {
		const segments = wordDiff('Rrjeti kërkon fonde për kulturën.\n\nParagrafi i dytë.', 'Rrjeti kërkon më shumë fonde për artin.\n\nParagrafi i dytë.');
		expect(segments.filter((s) => s.kind === 'added').map((s) => s.text.trim())).toEqual(['më shumë', 'artin']);
		expect(segments.filter((s) => s.kind === 'removed').map((s) => s.text.trim())).toEqual(['kulturën']);
		expect(segments.filter((s) => s.kind !== 'added').map((s) => s.text).join('')).toBe('Rrjeti kërkon fonde për kulturën.\n\nParagrafi i dytë.');
		expect(diffStats(segments)).toEqual({ added: 3, removed: 1 });
	});
});
