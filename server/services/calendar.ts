import ical from 'ical-generator';
import type { MeetingSummary } from '../../src/lib/shared/meetings.js';

/**
 * A TEXT value as RFC 5545 wants it (backslash, semicolon, comma and line breaks escaped; other control characters
 * dropped). ical-generator 10 escapes the events' properties but writes the calendar's name (NAME, X-WR-CALNAME)
 * as given, so a name with a line break could add properties or whole events to everyone's calendar.
 */
function icalText(value: string): string {
	return value
		.replace(/[\\;,]/g, (c) => `\\${c}`)
		.replace(/\r\n|\r|\n/g, '\\n')
		.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** Who organises the meetings: the network, by its name and contact address (without one, no ORGANIZER is written). */
export interface CalendarOrganiser {
	name: string;
	email: string | null;
}

/**
 * Meetings as iCalendar (RFC 5545): one event per meeting, its time in UTC, the place or the online link as the
 * location, the meeting's page as its URL and the network as organiser. `origin` is the public address of Kuvend.
 */
export function meetingsCalendar(
	name: string,
	meetings: (MeetingSummary & { description?: string })[],
	origin: string,
	organiser: CalendarOrganiser | null = null
): string {
	const cal = ical({ name: icalText(name), prodId: { company: 'Kuvend', product: 'meetings', language: 'SQ' } });
	for (const m of meetings) {
		const url = `${origin}/meetings/${m.id}`;
		cal.createEvent({
			id: `meeting-${m.id}@${new URL(origin).host}`,
			start: new Date(m.startsAt),
			end: new Date(m.endsAt),
			summary: m.title,
			description: [m.description ?? '', m.onlineUrl, url].filter(Boolean).join('\n\n'),
			location: m.place || m.onlineUrl || undefined,
			url,
			organizer: organiser?.email ? { name: organiser.name, email: organiser.email } : undefined
		});
	}
	return cal.toString();
}
