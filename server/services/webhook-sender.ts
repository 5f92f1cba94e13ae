import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isForbiddenAddress, MAX_RESPONSE_BYTES } from '../domain/webhooks.js';

/** Where a webhook URL leads, checked: the address connected to is this one, whatever DNS answers later. */
export interface CheckedTarget {
	url: URL;
	address: string;
	family: 4 | 6;
}

/** Why a URL may not be used or could not be reached before any request: a problem code (README "Webhooks"). */
export class TargetRefused extends Error {
	constructor(readonly code: 'hook_url_private' | 'hook_url_unresolved') {
		super(code);
	}
}

/**
 * Resolves the URL's host and checks the literal address or every address DNS gives for it: one that is forbidden
 * (loopback, private, ...) refuses the whole URL, so a name that resolves to a public and a private address cannot be
 * used to reach the private one. `allowPrivate` (WEBHOOKS_ALLOW_PRIVATE=1) lets any address through.
 */
export async function checkTarget(raw: string, allowPrivate: boolean, resolve: (host: string) => Promise<{ address: string; family: number }[]> = defaultResolve): Promise<CheckedTarget> {
	const url = new URL(raw);
	const host = url.hostname.replace(/^\[|\]$/g, '');
	let addresses: { address: string; family: number }[];
	if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
	else {
		try {
			addresses = await resolve(host);
		} catch {
			throw new TargetRefused('hook_url_unresolved');
		}
	}
	if (addresses.length === 0) throw new TargetRefused('hook_url_unresolved');
	if (!allowPrivate && addresses.some((a) => isForbiddenAddress(a.address))) throw new TargetRefused('hook_url_private');
	const first = addresses[0];
	return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

const defaultResolve = (host: string) => dns.lookup(host, { all: true, verbatim: true });

export type SendOutcome = { status: number; error: null } | { status: null; error: string };

/**
 * POSTs `body` to a checked target, connecting to its checked address (the Host header and TLS name stay the URL's):
 * no redirect is followed (a 3xx is an answer like any other, and not a success), the whole exchange is cut after
 * `timeoutMs`, and at most MAX_RESPONSE_BYTES of the answer are read.
 */
export function post(target: CheckedTarget, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SendOutcome> {
	const pinned: LookupFunction = (_host, options, callback) => {
		if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
		else callback(null, target.address, target.family);
	};
	const client = target.url.protocol === 'https:' ? https : http;
	return new Promise((resolve) => {
		let settled = false;
		const done = (outcome: SendOutcome) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			req.destroy();
			resolve(outcome);
		};
		const req = client.request(
			target.url,
			{
				method: 'POST',
				lookup: pinned,
				agent: false,
				headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Kuvend-Webhooks', ...headers }
			},
			(res) => {
				let read = 0;
				res.on('data', (chunk: Buffer) => {
					read += chunk.length;
					if (read >= MAX_RESPONSE_BYTES) done({ status: res.statusCode ?? 0, error: null });
				});
				res.on('end', () => done({ status: res.statusCode ?? 0, error: null }));
				res.on('error', () => done({ status: res.statusCode ?? 0, error: null }));
			}
		);
		const timer = setTimeout(() => done({ status: null, error: 'timeout' }), timeoutMs);
		req.on('error', (error: NodeJS.ErrnoException) => done({ status: null, error: (error.code ?? error.message).slice(0, 120) }));
		req.end(body);
	});
}
