import type { Authenticated } from '../server/services/auth.service.js';

declare global {
	namespace App {
		interface Locals {
			/** The signed-in person, or null for a visitor. */
			auth: Authenticated | null;
			/** The zone this reader's times are shown in (src/lib/server/reader-zone.ts). */
			timeZone: string;
		}
		interface Error {
			message: string;
			code?: string;
		}
		interface PageState {}
		interface Platform {}
	}
}

export {};
