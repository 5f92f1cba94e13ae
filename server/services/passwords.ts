import { hash, verify } from '@node-rs/argon2';

/** Argon2's `Algorithm.Argon2id`, a const enum that isolated modules cannot read. */
const ARGON2ID = 2;
/** OWASP's Argon2id baseline: 19 MiB, 2 passes, 1 lane (about 0.1 s here). */
const PARAMS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
	return hash(password, PARAMS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
	try {
		return await verify(stored, password);
	} catch {
		return false;
	}
}

/** Verifying against this when no account matches keeps a wrong email as slow as a wrong password. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
	decoy ??= hashPassword('decoy password that matches nothing');
	return decoy;
}
