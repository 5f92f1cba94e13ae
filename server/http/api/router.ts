import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
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

/** The language of a problem's words: the token's member's, else the first of ours the client accepts, else the network's. */
function localeOf(req: Request, auth: Authenticated | null, primary: Locale): Locale {
	if (auth) return auth.viewer.locale;
	const accepted = req.acceptsLanguages(...LOCALES);
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
function bearerOf(req: Request): string | null | undefined {
	const header = req.headers.authorization;
	if (header === undefined) return undefined;
	const match = /^Bearer\s+([A-Za-z0-9_\-.~+/]+=*)\s*$/i.exec(header);
	return match ? match[1] : null;
}

/** Express paths from the endpoints' OpenAPI paths (/drafts/{id} → /drafts/:id). */
const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * The read API under /api/v1: CORS for GET without credentials, bearer tokens, rate limits per token and per
 * address (shared by every node through RateLimits), parameters validated and answers serialised with the
 * endpoints' schemas, ETag and If-None-Match, and problems as application/problem+json.
 */
export function apiRouter(ctx: AppContext): express.Router {
	const router = express.Router({ caseSensitive: true, strict: false });
	const { services, limits } = ctx;

	function sendProblem(req: Request, res: Response, problem: ApiProblem, auth: Authenticated | null = null): void {
		const locale = localeOf(req, auth, services.profile.primaryLocale);
		const status = STATUS[problem.kind];
		if (problem.kind === 'rate_limited' && problem.detail.retryAfter) res.setHeader('Retry-After', problem.detail.retryAfter);
		if (problem.kind === 'read_only') res.setHeader('Allow', 'GET, HEAD, OPTIONS');
		if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="kuvend"');
		res.status(status)
			.type('application/problem+json')
			.setHeader('Cache-Control', 'no-store')
			.send(JSON.stringify({ type: `/api#problem-${problem.kind.replace(/_/g, '-')}`, status, ...TEXT[problem.kind](locale, problem.detail) }));
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

	// CORS: any site may read (GET) without credentials; a cookie is never read here, so none is asked for.
	router.use((req, res, next) => {
		res.setHeader('Access-Control-Allow-Origin', '*');
		res.setHeader('Access-Control-Expose-Headers', 'ETag, Retry-After, WWW-Authenticate');
		res.setHeader('Vary', 'Authorization, Accept-Language');
		if (req.method === 'OPTIONS') {
			res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
			res.setHeader('Access-Control-Allow-Headers', 'Authorization, If-None-Match, Accept, Accept-Language');
			res.setHeader('Access-Control-Max-Age', '600');
			return void res.status(204).end();
		}
		if (req.method !== 'GET' && req.method !== 'HEAD') return sendProblem(req, res, new ApiProblem('read_only'));
		if (!req.accepts(['application/json', 'application/problem+json'])) return sendProblem(req, res, new ApiProblem('not_acceptable'));
		next();
	});

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
	async function admit(req: Request): Promise<Authenticated | null> {
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

	function serve(res: Response, req: Request, payload: unknown, auth: Authenticated | null): void {
		send(res, req, answerOf(payload), auth);
	}

	function send(res: Response, req: Request, { body, etag }: CachedAnswer, auth: Authenticated | null): void {
		res.setHeader('ETag', etag);
		// Each reader may see something else: caches must ask again (and may keep it per token only).
		res.setHeader('Cache-Control', auth ? 'private, no-cache' : 'no-cache');
		if (matches(req.headers['if-none-match'], etag)) return void res.status(304).end();
		// The bytes as they are kept, written at once: Express's send() would copy a string into bytes, parse the
		// content type back and check freshness again, on every request (Node sends no body to a HEAD).
		res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length }).end(body);
	}

	router.get('/openapi.json', (req, res) => serve(res, req, openApiDocument(), null));

	for (const endpoint of ENDPOINTS as readonly Endpoint[]) {
		const handler = HANDLERS[endpoint.id as EndpointId];
		router.get(expressPath(endpoint.path), (req, res) => {
			let auth: Authenticated | null = null;
			(async () => {
				auth = await admit(req);
				const params = endpoint.params ? endpoint.params.safeParse(req.params) : { success: true as const, data: {} };
				if (!params.success) throw new ApiProblem('not_found');
				const query = (endpoint.query ?? z.object({})).safeParse(req.query);
				if (!query.success) throw new ApiProblem('bad_request', { name: issueNames(query.error) });
				const lang = (query.data as { lang?: Locale }).lang;
				const locale = lang ?? auth?.viewer.locale ?? services.profile.primaryLocale;
				// Asked only now: the reader was authenticated and counted for this request above.
				const key = answerKey(endpoint.id, params.data, query.data, locale, auth);
				const kept = cache.get(key);
				if (kept) return send(res, req, kept, auth);
				const version = cache.version;
				const data = await handler(services, { auth, params: params.data, query: query.data, locale });
				const answer = answerOf(endpoint.response.parse(data));
				cache.set(key, version, answer);
				send(res, req, answer, auth);
			})().catch((error) => sendProblem(req, res, problemOf(error), auth));
		});
	}

	router.use((req, res) => sendProblem(req, res, new ApiProblem('not_found')));
	return router;
}
