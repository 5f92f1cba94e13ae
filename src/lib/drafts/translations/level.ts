/**
 * Keeps the side-by-side columns level, paragraph against paragraph: each source block's spacer and the spacer of
 * its row in the translation are stretched so that the block and its translation start at the same height (a
 * missing translation's note starts level with the block instead). Spacers are widgets, which the
 * editors leave alone, so this touches no document. Heights are all set back to zero first and measured in one
 * layout, so nothing is painted in between.
 */
export function level(container: HTMLElement): void {
	const left = [...container.querySelectorAll<HTMLElement>('.lng-source-column .lng-spacer[data-for]')];
	const rows = new Map([...container.querySelectorAll<HTMLElement>('.lng-translation-column .lng-row[data-row]')].map((row) => [row.dataset.row!, row]));
	const right = new Map([...rows].map(([id, row]) => [id, row.querySelector<HTMLElement>('.lng-spacer')!]));
	const all = [...left, ...right.values()];
	for (const s of all) s.style.height = '0px';
	const beside = getComputedStyle(container.querySelector('.lng-source-column') ?? container).display !== 'none';
	if (!beside) return;
	const top = container.getBoundingClientRect().top;
	const topOf = (e: Element | null) => (e ? e.getBoundingClientRect().top - top : 0);
	const pairs = left.flatMap((a) => {
		const row = rows.get(a.dataset.for!);
		if (!row) return [];
		const b = right.get(a.dataset.for!)!;
		// A source block starts after its spacer; its translation after its row's note, or the note when it is missing.
		return [[a, b, topOf(a.nextElementSibling), row.classList.contains('lng-missing') ? topOf(b) : topOf(row.nextElementSibling)] as const];
	});
	let shiftA = 0;
	let shiftB = 0;
	let lastB = -Infinity;
	for (const [a, b, ta, tb] of pairs) {
		// Out of order (a translator moved a paragraph up): no spacer brings it level; the rest stays level.
		if (tb < lastB) continue;
		lastB = tb;
		const at = ta + shiftA;
		const bt = tb + shiftB;
		const target = Math.max(at, bt);
		a.style.height = `${target - at}px`;
		b.style.height = `${target - bt}px`;
		shiftA += target - at;
		shiftB += target - bt;
	}
}
