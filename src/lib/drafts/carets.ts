import { Extension } from '@tiptap/core';
import { Plugin } from '@tiptap/pm/state';
import { shownColor } from '$lib/shared/presence';

/** How another person's caret is drawn: their name as text, their colour only when it is one of the palette. */
export function caretOf(user: { name?: unknown; color?: unknown }): HTMLElement {
	const color = shownColor(user.color);
	const caret = document.createElement('span');
	caret.classList.add('collaboration-carets__caret');
	// The line takes the colour through a property, so the dark scheme can lighten it (DraftEditor.svelte).
	caret.style.setProperty('--who', color);
	const label = document.createElement('div');
	label.classList.add('collaboration-carets__label');
	label.style.backgroundColor = color;
	label.textContent = String(user.name ?? '');
	caret.append(label);
	return caret;
}

/** Another person's selection, tinted with their (checked) colour. */
export function selectionOf(user: { color?: unknown }): { nodeName: string; class: string; style: string } {
	return { nodeName: 'span', class: 'collaboration-carets__selection', style: `background-color: ${shownColor(user.color)}33` };
}

/** Room kept between a label and the text's edge (the caret's own border and margin). */
const EDGE = 4;

/**
 * Keeps each name label inside the text's width: it runs right from its caret, or left when there is more room
 * there, and ends in an ellipsis when the room on that side is shorter than the name. Without this a caret near the
 * right edge of a phone's line carried its label past the screen and widened the whole page.
 */
export function fitLabels(root: HTMLElement): void {
	const labels = root.querySelectorAll<HTMLElement>('.collaboration-carets__label');
	if (!labels.length) return;
	const box = root.getBoundingClientRect();
	for (const label of labels) {
		const at = label.parentElement!.getBoundingClientRect().left;
		const right = box.right - at - EDGE;
		const left = at - box.left - EDGE;
		const flip = label.scrollWidth > right && left > right;
		label.classList.toggle('flip', flip);
		label.style.maxWidth = `${Math.max(0, Math.floor(flip ? left : right))}px`;
	}
}

/** Fits the labels after every change of the text or of anyone's caret, and when the text's width changes. */
export const CaretLabels = Extension.create({
	name: 'caretLabels',
	addProseMirrorPlugins() {
		return [
			new Plugin({
				view: (view) => {
					const fit = () => fitLabels(view.dom);
					const resized = new ResizeObserver(fit);
					resized.observe(view.dom);
					return { update: fit, destroy: () => resized.disconnect() };
				}
			})
		];
	}
});
