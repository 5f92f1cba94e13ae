import { startMailServer } from './mail-server.js';

/** A real SMTP server on loopback for the whole browser run; Kuvend's SMTP_URL points at it. */
export default async function globalSetup(): Promise<() => Promise<void>> {
	return startMailServer();
}
