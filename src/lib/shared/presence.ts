/**
 * Colours of people in a co-edited text (their caret and their dot in "who is here"). Fixed, so that a colour
 * another person's browser announces can be checked before it is put in a style: anything else is not one.
 */
export const PRESENCE_COLORS = ['#1d4ed8', '#be185d', '#047857', '#b45309', '#6d28d9', '#0e7490', '#b91c1c', '#4d7c0f', '#a16207', '#a21caf'] as const;

/** A member's colour, the same on every page and for every reader. */
export function colorFor(memberId: number): string {
	return PRESENCE_COLORS[Math.abs(memberId) % PRESENCE_COLORS.length];
}

/** The colour to draw for an announced one: itself when it is in the palette, else a neutral grey. */
export function shownColor(announced: unknown): string {
	return PRESENCE_COLORS.includes(announced as (typeof PRESENCE_COLORS)[number]) ? (announced as string) : '#6b7280';
}
