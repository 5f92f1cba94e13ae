import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSmtpServer, type ReceivedMail } from '../integration/helpers/smtp.js';

/** Where the loopback SMTP server of the browser tests drops each message it receives, one JSON file each. */
export const MAIL_DIR = path.join(os.tmpdir(), 'kuvend-e2e-mail');
export const SMTP_PORT = process.env.E2E_PORT ? Number(process.env.E2E_PORT) + 1 : 2526;

export function readMail(): ReceivedMail[] {
	if (!fs.existsSync(MAIL_DIR)) return [];
	return fs
		.readdirSync(MAIL_DIR)
		.sort()
		.map((f) => JSON.parse(fs.readFileSync(path.join(MAIL_DIR, f), 'utf8')));
}

export async function startMailServer(): Promise<() => Promise<void>> {
	fs.rmSync(MAIL_DIR, { recursive: true, force: true });
	fs.mkdirSync(MAIL_DIR, { recursive: true });
	let n = 0;
	const server = createSmtpServer((mail) => fs.writeFileSync(path.join(MAIL_DIR, `${String(++n).padStart(4, '0')}.json`), JSON.stringify(mail)));
	await new Promise<void>((resolve) => server.listen(SMTP_PORT, '127.0.0.1', () => resolve()));
	return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
