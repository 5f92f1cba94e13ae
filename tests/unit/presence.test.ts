import { describe, expect, it } from 'vitest';
import { PRESENCE_COLORS, colorFor, shownColor } from '../../src/lib/shared/presence.js';

// The only colour format TipTap's caret accepts: @tiptap/extension-collaboration-caret's isValidColor and
// @tiptap/y-tiptap's rxValidColor (node_modules/@tiptap/*/dist). Any other (the hsl() colours this palette replaced)
// is drawn transparent, with a console warning for every caret at every change of the text.
const TIPTAP_COLOR = /^#[0-9a-fA-F]{6}$/;

describe('presence colours', () => {
	it('are all in the format the caret extension draws, and distinct', () => {
		for (const color of PRESENCE_COLORS) expect(color).toMatch(TIPTAP_COLOR);
		expect(new Set(PRESENCE_COLORS).size).toBe(PRESENCE_COLORS.length);
	});

	it('give every member one of the palette, the same each time', () => {
		for (const id of [0, 1, 7, 10, 123_456, -3]) {
			expect(PRESENCE_COLORS).toContain(colorFor(id));
			expect(colorFor(id)).toBe(colorFor(id));
		}
	});

	it('draw an announced colour only when it is the palette’s, else a grey in the same format', () => {
		expect(shownColor(PRESENCE_COLORS[3])).toBe(PRESENCE_COLORS[3]);
		for (const other of ['#000000', 'red', 'transparent', 'hsl(210 70% 38%)', '#1d4ed8; background: url(x)', 42, null, undefined, {}]) {
			expect(shownColor(other)).toBe('#6b7280');
		}
		expect(shownColor('anything')).toMatch(TIPTAP_COLOR);
	});
});
