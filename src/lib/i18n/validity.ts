import { m } from '$lib/paraglide/messages';

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

const isControl = (el: EventTarget | null): el is Control =>
	el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement;

/** What is wrong with a control, in the page's language: the app's own words for what the browser would say. */
export function validityMessage(el: Control): string {
	const v = el.validity;
	const type = el instanceof HTMLInputElement ? el.type : el instanceof HTMLSelectElement ? 'select' : 'textarea';
	if (v.valueMissing) return type === 'checkbox' || type === 'radio' ? m.form_error_choose_one() : type === 'select' ? m.form_error_choose_option() : m.form_error_required();
	if (v.badInput) return m.form_error_number();
	if (v.typeMismatch) return type === 'email' ? m.form_error_email_invalid() : type === 'url' ? m.form_error_url_invalid() : m.form_error_invalid();
	if (v.tooShort) return m.form_error_too_short();
	if (v.tooLong) return m.form_error_too_long();
	if (v.rangeUnderflow && el instanceof HTMLInputElement) return type === 'number' ? m.form_error_number_min({ min: el.min }) : m.form_error_invalid();
	if (v.rangeOverflow && el instanceof HTMLInputElement) return type === 'number' ? m.form_error_number_max({ max: el.max }) : m.form_error_invalid();
	if (v.stepMismatch) return type === 'number' ? m.form_error_whole_number() : m.form_error_invalid();
	return m.form_error_invalid();
}

/**
 * The browser checks required fields, email addresses and number ranges before a form is sent, and says so in its own
 * language (an English "Please fill out this field." on an Albanian page). One listener for the whole document gives
 * every such check the app's message in the page's language instead, for every form at once; nothing typed is lost,
 * since the form is simply not sent. Returns the function that removes it.
 */
export function translateValidity(doc: Document): () => void {
	const onInvalid = (event: Event) => {
		const el = event.target;
		if (!isControl(el)) return;
		// Our own message from an earlier try would hide what is wrong now: clear it, then read the browser's checks.
		el.setCustomValidity('');
		if (el.validity.valid) return;
		el.setCustomValidity(validityMessage(el));
	};
	// A custom message keeps a control invalid until it is cleared: clear it as soon as the person changes the value.
	const onChange = (event: Event) => {
		if (isControl(event.target) && event.target.validity.customError) event.target.setCustomValidity('');
	};
	doc.addEventListener('invalid', onInvalid, true);
	doc.addEventListener('input', onChange, true);
	doc.addEventListener('change', onChange, true);
	return () => {
		doc.removeEventListener('invalid', onInvalid, true);
		doc.removeEventListener('input', onChange, true);
		doc.removeEventListener('change', onChange, true);
	};
}
