import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { startTestApp, type TestApp } from './app.js';

export interface ReceivedMail {
	/** The From header, encoded words decoded ("Name <address>"). */
	from: string;
	to: string[];
	subject: string;
	text: string;
}

/** Decodes RFC 2047 encoded words (=?UTF-8?Q?...?= / =?UTF-8?B?...?=) in a header. */
function decodeWords(value: string): string {
	return value.replace(/\s*=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_all, enc: string, text: string) =>
		enc.toLowerCase() === 'b'
			? Buffer.from(text, 'base64').toString('utf8')
			: Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8')
	);
}

function decodeBody(body: string, encoding: string): string {
	if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (/quoted-printable/i.test(encoding)) {
		const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16)));
		return Buffer.from(bytes, 'latin1').toString('utf8');
	}
	return Buffer.from(body, 'latin1').toString('utf8');
}

/** Parses the single-part text mail nodemailer sends for Kuvend (no multipart, no attachments). */
export function parseMail(raw: string): ReceivedMail {
	const [head, ...rest] = raw.split(/\r?\n\r?\n/);
	const headers: Record<string, string> = {};
	for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const i = line.indexOf(':');
		if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
	}
	return {
		from: decodeWords(headers.from ?? ''),
		to: (headers.to ?? '').split(',').map((s) => s.trim()),
		subject: decodeWords(headers.subject ?? ''),
		text: decodeBody(rest.join('\n\n'), headers['content-transfer-encoding'] ?? '').replace(/\r\n/g, '\n')
	};
}

/**
 * A plain SMTP server (no TLS, no auth) that hands each message it receives, parsed, to `onMail`. While `refusal`
 * returns a text, recipients are refused with it (550), as a full mailbox or a wrong relay set-up would be.
 */
export function createSmtpServer(onMail: (mail: ReceivedMail) => void, refusal: () => string | null = () => null): SMTPServer {
	return new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onRcptTo(_address, _session, callback) {
			const refused = refusal();
			if (!refused) return callback();
			callback(Object.assign(new Error(refused), { responseCode: 550 }));
		},
		onData(stream, _session, callback) {
			let raw = '';
			stream.setEncoding('latin1');
			stream.on('data', (chunk: string) => (raw += chunk));
			stream.on('end', () => {
				onMail(parseMail(raw));
				callback();
			});
		}
	});
}

/** A real SMTP server on loopback that keeps what it receives. */
export async function startSmtp(): Promise<{ url: string; mail: ReceivedMail[]; waitFor(to: string, count?: number): Promise<ReceivedMail[]>; close(): Promise<void> }> {
	const mail: ReceivedMail[] = [];
	const server = createSmtpServer((m) => mail.push(m));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.server.address() as AddressInfo;
	return {
		url: `smtp://127.0.0.1:${port}`,
		mail,
		async waitFor(to: string, count = 1) {
			const deadline = Date.now() + 10_000;
			for (;;) {
				const found = mail.filter((m) => m.to.some((t) => t.includes(to)));
				if (found.length >= count) return found;
				if (Date.now() > deadline) throw new Error(`no mail to ${to} (got ${mail.map((m) => m.to.join()).join('; ')})`);
				await new Promise((r) => setTimeout(r, 50));
			}
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

export type TestSmtp = Awaited<ReturnType<typeof startSmtp>>;

/**
 * For a test file: the real server delivering its mail to a real SMTP server on loopback, started before the
 * file's tests and stopped after them. The fields are filled in when the tests run.
 */
export function serveWithSmtp(env: Record<string, string> = {}): { app: TestApp; smtp: TestSmtp } {
	const running = {} as { app: TestApp; smtp: TestSmtp };
	beforeAll(async () => {
		running.smtp = await startSmtp();
		running.app = await startTestApp({ SMTP_URL: running.smtp.url, ...env });
	});
	afterAll(async () => {
		await running.app?.dispose();
		await running.smtp?.close();
	});
	return running;
}
