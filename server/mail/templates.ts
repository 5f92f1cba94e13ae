import * as m from '../../src/lib/paraglide/messages.js';
import type { Locale } from '../../src/lib/shared/types.js';

/** Every mail Kuvend sends, with what it needs. Texts come from the recipient's language catalogue. */
export type MailMessage =
	| { kind: 'join_received'; name: string }
	| { kind: 'join_approved'; name: string; url: string }
	| { kind: 'join_rejected'; name: string; reason: string }
	| { kind: 'password_reset'; name: string; url: string }
	| { kind: 'password_changed'; name: string }
	| { kind: 'mention' | 'reply'; name: string; actor: string; title: string; url: string }
	| { kind: 'digest'; name: string; items: { kind: 'mention' | 'reply'; actor: string | null; title: string }[]; url: string }
	| { kind: 'test'; name: string; url: string }
	| { kind: 'proxy_used'; name: string; holder: string; title: string; url: string }
	| { kind: 'election_cancelled'; name: string; title: string; url: string }
	| { kind: 'webhook_disabled'; name: string; endpoint: string; url: string };

export interface RenderedMail {
	subject: string;
	body: string;
}

/** A mail in `locale`, signed with `signature` (the network's name). */
export function renderMail(message: MailMessage, locale: Locale, signature: string): RenderedMail {
	const o = { locale };
	const sign = `\n\n— ${signature}`;
	switch (message.kind) {
		case 'join_received':
			return { subject: m.mail_join_received_subject({}, o), body: m.mail_join_received_body({ name: message.name }, o) + sign };
		case 'join_approved':
			return {
				subject: m.mail_join_approved_subject({}, o),
				body: m.mail_join_approved_body({ name: message.name, url: message.url }, o) + sign
			};
		case 'join_rejected':
			return {
				subject: m.mail_join_rejected_subject({}, o),
				body: m.mail_join_rejected_body({ name: message.name, reason: message.reason }, o) + sign
			};
		case 'password_reset':
			return {
				subject: m.mail_password_reset_subject({}, o),
				body: m.mail_password_reset_body({ name: message.name, url: message.url }, o) + sign
			};
		case 'password_changed':
			return { subject: m.mail_password_changed_subject({}, o), body: m.mail_password_changed_body({ name: message.name }, o) + sign };
		case 'mention':
			return {
				subject: m.mail_mention_subject({ actor: message.actor }, o),
				body: m.mail_mention_body({ name: message.name, actor: message.actor, title: message.title, url: message.url }, o) + sign
			};
		case 'reply':
			return {
				subject: m.mail_reply_subject({ title: message.title }, o),
				body: m.mail_reply_body({ name: message.name, actor: message.actor, title: message.title, url: message.url }, o) + sign
			};
		case 'webhook_disabled':
			return {
				subject: m.hook_mail_disabled_subject({}, o),
				body: m.hook_mail_disabled_body({ name: message.name, endpoint: message.endpoint, url: message.url }, o) + sign
			};
		case 'test':
			return { subject: m.mail_test_subject({}, o), body: m.mail_test_body({ name: message.name, url: message.url }, o) + sign };
		case 'proxy_used':
			return {
				subject: m.proxy_mail_used_subject({ title: message.title }, o),
				body: m.proxy_mail_used_body({ name: message.name, holder: message.holder, title: message.title, url: message.url }, o) + sign
			};
		case 'election_cancelled':
			return {
				subject: m.elect_mail_cancelled_subject({ title: message.title }, o),
				body: m.elect_mail_cancelled_body({ name: message.name, title: message.title, url: message.url }, o) + sign
			};
		case 'digest': {
			const lines = message.items.map((i) => {
				const actor = i.actor ?? m.former_member({}, o);
				return `• ${i.kind === 'mention' ? m.mail_digest_mention({ actor, title: i.title }, o) : m.mail_digest_reply({ actor, title: i.title }, o)}`;
			});
			return {
				subject: m.mail_digest_subject({ count: message.items.length }, o),
				body: `${m.mail_digest_intro({ name: message.name }, o)}\n\n${lines.join('\n')}\n\n${message.url}` + sign
			};
		}
	}
}
