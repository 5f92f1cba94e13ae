import type { Authenticated } from '../server/services/auth.service.js';

declare global {
	namespace App {
		interface Locals {
			/** The signed-in person, or null for a visitor. */
			auth: Authenticated | null;
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
