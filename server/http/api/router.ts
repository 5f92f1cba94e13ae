import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import express from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import * as m from '../../../src/lib/paraglide/messages.js';
import { ENDPOINTS, type Endpoint, type EndpointId } from '../../../src/lib/shared/api/endpoints.js';
import { API_BASE, openApiDocument } from '../../../src/lib/shared/api/openapi.js';
import { ERROR_CODES, isDomainError, type ErrorCode } from '../../../src/lib/shared/errors.js';
import { isLocale, LOCALES, type Locale } from '../../../src/lib/shared/types.js';
import type { Authenticated } from '../../services/auth.service.js';
import { AnswerCache, answerKey, type CachedAnswer } from './answer-cache.js';
import { HANDLERS } from './handlers.js';

/** The problems the API answers with (RFC 9457), each a `type` under the docs page. */
type ProblemKind = 'bad_request' | 'bad_token' | 'members_only' | 'forbidden' | 'not_found' | 'not_acceptable' | 'read_only' | 'rate_limited' | 'unavailable' | 'internal';

const STATUS: Record<ProblemKind, number> = {
	bad_request: 400,
	bad_token: 401,
	members_only: 401,
	forbidden: 403,
	not_found: 404,
	not_acceptable: 406,
	read_only: 405,
	rate_limited: 429,
	unavailable: 503,
	internal: 500
};

const TEXT: Record<ProblemKind, (locale: Locale, detail: Record<string, string>) => { title: string; detail: string }> = {
	bad_request: (locale, d) => ({ title: m.api_problem_bad_request_title({}, { locale }), detail: m.api_problem_bad_request({ name: d.name ?? '' }, { locale }) }),
	bad_token: (locale) => ({ title: m.api_problem_unauthorised_title({}, { locale }), detail: m.api_problem_bad_token({}, { locale }) }),
	members_only: (locale) => ({ title: m.api_problem_unauthorised_title({}, { locale }), detail: m.api_problem_members_only({}, { locale }) }),
	forbidden: (locale) => ({ title: m.api_problem_forbidden_title({}, { locale }), detail: m.api_problem_forbidden({}, { locale }) }),
	not_found: (locale) => ({ title: m.api_problem_not_found_title({}, { locale }), detail: m.api_problem_not_found({}, { locale }) }),
	not_acceptable: (locale) => ({ title: m.api_problem_not_acceptable_title({}, { locale }), detail: m.api_problem_not_acceptable({}, { locale }) }),
	read_only: (locale) => ({ title: m.api_problem_read_only_title({}, { locale }), detail: m.api_problem_read_only({}, { locale }) }),
	rate_limited: (locale, d) => ({ title: m.api_problem_rate_limited_title({}, { locale }), detail: m.api_problem_rate_limited({ seconds: d.retryAfter ?? '60' }, { locale }) }),
	unavailable: (locale) => ({ title: m.api_problem_unavailable_title({}, { locale }), detail: m.api_problem_unavailable({}, { locale }) }),
	internal: (locale) => ({ title: m.api_problem_internal_title({}, { locale }), detail: m.api_problem_internal({}, { locale }) })
};

const KIND_OF: Partial<Record<ErrorCode, ProblemKind>> = {
	invalid_input: 'bad_request',
	invalid_credentials: 'bad_request',
	unauthenticated: 'members_only',
	forbidden: 'forbidden',
	not_found: 'not_found',
	gone: 'not_found',
	rate_limited: 'rate_limited',
	restarting: 'unavailable',
	unavailable: 'unavailable'
};

class ApiProblem extends Error {
	constructor(
		readonly kind: ProblemKind,
		readonly detail: Record<string, string> = {}
	) {
		super(kind);
	}
}

// Content negotiation as Express does it (its request's own methods, taken as they are: they read the headers only).
const acceptsTypes = express.request.accepts as (this: IncomingMessage, types: string[]) => string | false;
const acceptsLanguages = express.request.acceptsLanguages as (this: IncomingMessage, ...languages: string[]) => string | false;

/** The language of a problem's words: the token's member's, else the first of ours the client accepts, else the network's. */
function localeOf(req: IncomingMessage, auth: Authenticated | null, primary: Locale): Locale {
	if (auth) return auth.viewer.locale;
	const accepted = acceptsLanguages.call(req, ...LOCALES);
	return accepted && isLocale(accepted) ? accepted : primary;
}

/** The ETag of a body: a strong validator, the same on every node for the same bytes. */
const etagOf = (body: Buffer) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/** If-None-Match lists (or `*`) the current ETag; weak comparison, as RFC 9110 asks for GET. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
	if (!ifNoneMatch) return false;
	if (ifNoneMatch.trim() === '*') return true;
	return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** The names of the parameters a zod error is about, for the problem's detail. */
const issueNames = (error: z.ZodError) => [...new Set(error.issues.map((i) => String(i.path[0] ?? '?')))].join(', ');

/** A bearer token from the Authorization header: undefined when there is none, null when it is not a bearer token. */
function bearerOf(req: IncomingMessage): string | null | undefined {
	const header = req.headers.authorization;
	if (header === undefined) return undefined;
	const match = /^Bearer\s+([A-Za-z0-9_\-.~+/]+=*)\s*$/i.exec(header);
	return match ? match[1] : null;
}

/**
 * An endpoint's OpenAPI path as a pattern of the path below API_BASE: each {name} one segment, as sent (decoded
 * once matched), and a trailing slash allowed.
 */
function pathPattern(path: string): RegExp {
	const segments = path.split('/').map((segment) => {
		const name = /^\{(\w+)\}$/.exec(segment)?.[1];
		return name ? `(?<${name}>[^/]+)` : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	});
	return new RegExp(`^${segments.join('/')}/?$`);
}

/** A route's parameters, percent-decoded; null when one is not valid percent-encoding. */
function decodedParams(groups: Record<string, string> | undefined): Record<string, string> | null {
	const params: Record<string, string> = {};
	try {
		for (const [name, value] of Object.entries(groups ?? {})) params[name] = decodeURIComponent(value);
	} catch {
		return null;
	}
	return params;
}

/** The rest of a path under API_BASE ('/' for API_BASE itself), or null for a path outside it. */
function belowBase(path: string): string | null {
	// As Express mounted the API: the base in any case, then the end of the path or a slash.
	if (path.slice(0, API_BASE.length).toLowerCase() !== API_BASE) return null;
	const rest = path.slice(API_BASE.length);
	return rest === '' ? '/' : rest.startsWith('/') ? rest : null;
}

/**
 * The read API under /api/v1: CORS for GET without credentials, bearer tokens, rate limits per token and per
 * address (shared by every node through RateLimits), parameters validated and answers serialised with the
 * endpoints' schemas, ETag and If-None-Match, and problems as application/problem+json.
 *
 * It answers on Node's request and response, before Express (app.ts), as the visitor page cache does: Express's
 * routing and its request and response helpers cost ~0.1 ms of CPU a request here, as much as all the rest of a
 * kept answer (tests/bench/api.bench.ts). Returns whether the request was the API's; `baseHeaders` sets the headers
 * every response carries.
 */
export function apiHandler(ctx: AppContext, baseHeaders: (res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => boolean {
	const { services, limits } = ctx;

	function sendProblem(req: IncomingMessage, res: ServerResponse, problem: ApiProblem, auth: Authenticated | null = null): void {
		const locale = localeOf(req, auth, services.profile.primaryLocale);
		const status = STATUS[problem.kind];
		if (problem.kind === 'rate_limited' && problem.detail.retryAfter) res.setHeader('Retry-After', problem.detail.retryAfter);
		if (problem.kind === 'read_only') res.setHeader('Allow', 'GET, HEAD, OPTIONS');
		if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="kuvend"');
		const body = Buffer.from(JSON.stringify({ type: `/api#problem-${problem.kind.replace(/_/g, '-')}`, status, ...TEXT[problem.kind](locale, problem.detail) }));
		res.writeHead(status, { 'Content-Type': 'application/problem+json; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' }).end(body);
	}

	function problemOf(error: unknown): ApiProblem {
		if (error instanceof ApiProblem) return error;
		if (isDomainError(error)) {
			const kind = KIND_OF[error.code] ?? 'internal';
			const name = Object.keys(error.fields).find((k) => k !== 'retryAfter');
			return new ApiProblem(kind, { ...error.fields, ...(name ? { name } : {}) });
		}
		ctx.logger.error('API request failed', { path: API_BASE, error: error instanceof Error ? error : String(error) });
		return new ApiProblem('internal');
	}

	/** CORS (any site may read with GET, without credentials: a cookie is never read here), then what is not a read. */
	function refused(req: IncomingMessage, res: ServerResponse): boolean {
		res.setHeader('Access-Control-Allow-Origin', '*');
		res.setHeader('Access-Control-Expose-Headers', 'ETag, Retry-After, WWW-Authenticate');
		res.setHeader('Vary', 'Authorization, Accept-Language');
		if (req.method === 'OPTIONS') {
			res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
			res.setHeader('Access-Control-Allow-Headers', 'Authorization, If-None-Match, Accept, Accept-Language');
			res.setHeader('Access-Control-Max-Age', '600');
			res.writeHead(204).end();
		} else if (req.method !== 'GET' && req.method !== 'HEAD') sendProblem(req, res, new ApiProblem('read_only'));
		else if (!acceptsTypes.call(req, ['application/json', 'application/problem+json'])) sendProblem(req, res, new ApiProblem('not_acceptable'));
		else return false;
		return true;
	}

	/**
	 * Counts one request against a limit in one atomic step (requests arrive in parallel; a check then a count would
	 * let a burst through); when refused, asks the limit how long to wait, for Retry-After.
	 */
	async function count(name: 'apiPerAddress' | 'apiPerToken', key: string): Promise<void> {
		if (await limits.allow(name, key)) return;
		const wait = await limits.check([name, key]).then(
			() => '1',
			(error) => (isDomainError(error) ? (error.fields.retryAfter ?? '60') : '60')
		);
		throw new ApiProblem('rate_limited', { retryAfter: wait });
	}

	/** Who asks (a token's member, or a visitor), counted against the limits; throws an ApiProblem. */
	async function admit(req: IncomingMessage): Promise<Authenticated | null> {
		const token = bearerOf(req);
		// Counted before the token is looked up: guessing tokens spends the address's allowance too.
		await count('apiPerAddress', ctx.clientAddress(req));
		if (token === undefined) return null;
		const auth = token === null ? null : await services.apiTokens.authenticate(token);
		if (!auth) throw new ApiProblem('bad_token');
		await count('apiPerToken', auth.sessionId);
		return auth;
	}

	// Answers kept until anything changes, each for its reader (answer-cache.ts); still counted against the limits above.
	const cache = new AnswerCache();
	cache.follow(ctx.bus, ctx.nodeEvents);

	function answerOf(payload: unknown): CachedAnswer {
		const body = Buffer.from(JSON.stringify(payload));
		return { body, etag: etagOf(body) };
	}

	function send(res: ServerResponse, req: IncomingMessage, { body, etag }: CachedAnswer, auth: Authenticated | null): void {
		res.setHeader('ETag', etag);
		// Each reader may see something else: caches must ask again (and may keep it per token only).
		res.setHeader('Cache-Control', auth ? 'private, no-cache' : 'no-cache');
		if (matches(req.headers['if-none-match'], etag)) return void res.writeHead(304).end();
		// The bytes as they are kept, written at once (Node sends no body to a HEAD).
		res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length }).end(body);
	}

	const routes = (ENDPOINTS as readonly Endpoint[]).map((endpoint) => ({ endpoint, pattern: pathPattern(endpoint.path), handler: HANDLERS[endpoint.id as EndpointId] }));

	/** An endpoint's answer: the reader admitted, the parameters parsed, then kept or computed. */
	function answer(req: IncomingMessage, res: ServerResponse, { endpoint, handler }: (typeof routes)[number], rawParams: Record<string, string>, search: string): void {
		let auth: Authenticated | null = null;
		(async () => {
			auth = await admit(req);
			const params = endpoint.params ? endpoint.params.safeParse(rawParams) : { success: true as const, data: {} };
			if (!params.success) throw new ApiProblem('not_found');
			// Parsed as Express parses a query string ('simple': node:querystring; a repeated name gives a list).
			const query = (endpoint.query ?? z.object({})).safeParse(parseQuery(search));
			if (!query.success) throw new ApiProblem('bad_request', { name: issueNames(query.error) });
			const lang = (query.data as { lang?: Locale }).lang;
			const locale = lang ?? auth?.viewer.locale ?? services.profile.primaryLocale;
			// Asked only now: the reader was authenticated and counted for this request above.
			const key = answerKey(endpoint.id, params.data, query.data, locale, auth);
			const kept = cache.get(key);
			if (kept) return send(res, req, kept, auth);
			const version = cache.version;
			const data = await handler(services, { auth, params: params.data, query: query.data, locale });
			const computed = answerOf(endpoint.response.parse(data));
			cache.set(key, version, computed);
			send(res, req, computed, auth);
		})().catch((error) => sendProblem(req, res, problemOf(error), auth));
	}

	/** Answers a request below API_BASE: the OpenAPI document, an endpoint's answer, or a problem. */
	function route(req: IncomingMessage, res: ServerResponse, path: string, search: string): void {
		if (/^\/openapi\.json\/?$/.test(path)) return send(res, req, answerOf(openApiDocument()), null);
		for (const r of routes) {
			const match = r.pattern.exec(path);
			if (!match) continue;
			const params = decodedParams(match.groups);
			if (params) return answer(req, res, r, params, search);
			return sendProblem(req, res, new ApiProblem('bad_request', { name: Object.keys(match.groups ?? {}).join(', ') }));
		}
		sendProblem(req, res, new ApiProblem('not_found'));
	}

	return (req, res) => {
		const url = req.url ?? '/';
		const at = url.indexOf('?');
		const path = belowBase(at < 0 ? url : url.slice(0, at));
		if (path === null) return false;
		baseHeaders(res);
		try {
			if (!refused(req, res)) route(req, res, path, at < 0 ? '' : url.slice(at + 1));
		} catch (error) {
			sendProblem(req, res, problemOf(error));
		}
		return true;
	};
}
