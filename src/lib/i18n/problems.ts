import { m } from '$lib/paraglide/messages';

/** The message for a form problem code sent by a service (see server/domain/validation.ts). */
const PROBLEMS: Record<string, () => string> = {
	required: m.form_error_required,
	too_long: m.form_error_too_long,
	too_short: m.form_error_too_short,
	email_invalid: m.form_error_email_invalid,
	email_taken: m.form_error_email_taken,
	password_short: m.form_error_password_short,
	password_common: m.form_error_password_common,
	password_like_email: m.form_error_password_like_email,
	password_mismatch: m.form_error_password_mismatch,
	password_wrong: m.form_error_password_wrong,
	choose_one: m.form_error_choose_one,
	url_invalid: m.form_error_url_invalid,
	member_unknown: m.form_error_member_unknown,
	field_archived: m.form_error_field_archived,
	merge_same: m.form_error_merge_same,
	merge_archived: m.form_error_merge_archived,
	too_many_fields: m.form_error_too_many_fields,
	name_taken: m.form_error_name_taken,
	not_active_member: m.form_error_not_active_member,
	unknown_time_zone: m.form_error_time_zone,
	logo_too_large: m.form_error_logo_too_large,
	logo_type: m.form_error_logo_type,
	group_archived: m.form_error_group_archived
};

export const problemText = (code: string | undefined | null): string | null => (code ? (PROBLEMS[code] ?? m.form_error_invalid)() : null);

/** The banner text for a failed action's error code. */
export function failureText(code: string | undefined, retryAfter?: string): string {
	switch (code) {
		case 'invalid_input':
			return m.form_error_summary();
		case 'rate_limited':
			return m.error_rate_limited({ minutes: Math.max(1, Math.ceil(Number(retryAfter ?? 60) / 60)) });
		case 'forbidden':
			return m.error_forbidden();
		case 'not_found':
			return m.error_not_found();
		case 'conflict':
			return m.error_conflict();
		case 'gone':
			return m.error_link_not_valid();
		case 'restarting':
			return m.error_restarting();
		case 'unavailable':
			return m.error_unavailable();
		// PostgreSQL out of reach (src/lib/shared/database-away.ts): not the full disk 'unavailable' alone says.
		case 'database_away':
			return m.pgmove_database_away();
		default:
			return m.error_unexpected();
	}
}
