// The styles that decide where a textarea's text wraps, copied to a mirror that lays out the same text.
const COPIED = [
	'boxSizing', 'width', 'borderTopWidth', 'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth',
	'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft', 'fontFamily', 'fontSize', 'fontWeight', 'fontStyle',
	'letterSpacing', 'lineHeight', 'textTransform', 'wordSpacing', 'tabSize', 'textIndent'
] as const;

/**
 * How far below the top of a textarea (its own top, not scrolled) the line with the caret starts, in px. A textarea
 * does not say where its caret is, so an invisible copy of the text up to the caret is laid out the same way and
 * measured.
 */
export function caretTop(textarea: HTMLTextAreaElement): number {
	const style = getComputedStyle(textarea);
	const mirror = document.createElement('div');
	for (const key of COPIED) mirror.style[key] = style[key];
	Object.assign(mirror.style, { position: 'absolute', visibility: 'hidden', top: '0', left: '-9999px', whiteSpace: 'pre-wrap', overflowWrap: 'break-word', overflow: 'hidden' });
	mirror.textContent = textarea.value.slice(0, textarea.selectionStart);
	const mark = document.createElement('span');
	mark.textContent = '\u200b';
	mirror.append(mark);
	document.body.append(mirror);
	const top = mark.offsetTop;
	mirror.remove();
	return top;
}
