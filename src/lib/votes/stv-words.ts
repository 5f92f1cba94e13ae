/** An STV count in the reader's words: votes with five decimals, and each stage as a sentence (StvStages, labels). */
import { m } from '$lib/paraglide/messages';
import { formatNumber } from '$lib/i18n/format';
import { UNIT, type StvCount, type StvStage } from '$lib/shared/stv';
import type { VoteOption } from '$lib/shared/votes';

/** Votes held in the count's units, in the reader's numbers: "6,84848" in Albanian and Greek, "6.84848" in English. */
export function formatVotes(units: number, decimals = units % UNIT !== 0): string {
	const whole = formatNumber(Math.trunc(units / UNIT));
	if (!decimals) return whole;
	const sign = units < 0 && units > -UNIT ? '−' : '';
	return `${sign}${whole}${formatNumber(1.5).charAt(1)}${String(Math.abs(units % UNIT)).padStart(5, '0')}`;
}

const optionLabel = (options: VoteOption[], id: number) => options.find((o) => o.id === id)?.label ?? `#${id}`;
const names = (ids: number[], options: VoteOption[]) => ids.map((id) => optionLabel(options, id)).join(', ');

/** What one stage did, as sentences: the transfer or exclusion, the tie-break, who was elected. */
export function stageNotes(count: StvCount, index: number, options: VoteOption[]): string[] {
	const s: StvStage = count.stages[index];
	const stage = index + 1;
	const name = s.from !== null ? optionLabel(options, s.from) : '';
	const notes: string[] = [];
	if (s.kind === 'first') notes.push(m.elect_note_first());
	if (s.kind === 'surplus') notes.push(m.elect_note_surplus({ stage, name, surplus: formatVotes(Math.abs(s.transfers[s.from!] ?? 0), true), value: formatVotes(s.transferValue ?? 0, true) }));
	if (s.kind === 'exclusion') notes.push(m.elect_note_exclusion({ stage, name, held: formatVotes(Math.abs(s.transfers[s.from!] ?? 0)) }));
	if (s.tie?.by === 'earlier_stage') notes.push(m.elect_tie_earlier());
	if (s.tie?.by === 'lot') notes.push(m.elect_tie_lot({ seed: `${count.lot.seed.slice(0, 12)}…`, order: names(count.lot.order, options) }));
	for (const e of s.elected) notes.push(m.elect_note_elected({ name: optionLabel(options, e), held: formatVotes(s.votes[e]) }));
	if (s.remaining.length) notes.push(m.elect_note_remaining({ names: names(s.remaining, options) }));
	return notes;
}

/** The result in one sentence: who was elected, with the quota and what it came from. */
export function stvReason(count: StvCount, options: VoteOption[]): string {
	return m.elect_reason({ names: names(count.elected, options), quota: formatNumber(count.quota), valid: formatNumber(count.valid), seats: formatNumber(count.seats) });
}
