/** The OpenAPI 3.1 document of the read API, generated from the schemas the server serialises with. */
import { z } from 'zod';
import { ENDPOINTS, type Endpoint } from './endpoints.js';
import { apiRegistry } from './schemas.js';

export const API_BASE = '/api/v1';
const REF = '#/components/schemas/';

type Json = Record<string, unknown>;

/** Problems every endpoint may answer, besides its own 404. */
const PROBLEM_STATUSES: Record<string, string> = {
	'400': 'Bad parameters (the detail says which)',
	'401': 'The bearer token is unknown, revoked, or its member may no longer sign in',
	'404': 'No such resource, or not one the reader may read',
	'406': 'The client accepts no JSON',
	'429': 'Too many requests (per token and per address); Retry-After says when to try again'
};

/** A parameter schema as JSON Schema (what a client sends: the input side). */
const paramSchema = (schema: z.ZodType): Json => {
	const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
	return rest;
};

function parameters(e: Endpoint): Json[] {
	const list: Json[] = [];
	for (const [where, obj] of [
		['path', e.params],
		['query', e.query]
	] as const) {
		if (!obj) continue;
		for (const [name, schema] of Object.entries(obj.shape) as [string, z.ZodType][]) {
			const json = paramSchema(schema);
			const { description, ...rest } = json;
			list.push({ name, in: where, required: where === 'path' || !schema.safeParse(undefined).success, ...(description ? { description } : {}), schema: rest });
		}
	}
	return list;
}

const problem = (description: string): Json => ({ description, content: { 'application/problem+json': { schema: { $ref: `${REF}Problem` } } } });

/** The document, built once per process (it depends on nothing but the code). */
let built: Json | null = null;
export function openApiDocument(): Json {
	if (built) return built;
	const { schemas } = z.toJSONSchema(apiRegistry, { uri: (id) => REF + id, unrepresentable: 'any' }) as { schemas: Record<string, Json> };
	const components: Record<string, Json> = {};
	for (const [name, schema] of Object.entries(schemas)) {
		const { $schema: _, $id: __, id: ___, ...rest } = schema;
		components[name] = rest;
	}
	const paths: Record<string, Json> = {};
	for (const e of ENDPOINTS as readonly Endpoint[]) {
		const id = apiRegistry.get(e.response)?.id;
		if (!id) throw new Error(`the response of ${e.id} is not a registered schema`);
		paths[e.path] = {
			get: {
				operationId: e.id,
				summary: e.summary,
				parameters: parameters(e),
				responses: {
					'200': {
						description: 'OK',
						headers: { ETag: { description: 'Send back as If-None-Match: 304 when unchanged', schema: { type: 'string' } } },
						content: { 'application/json': { schema: { $ref: REF + id } } }
					},
					'304': { description: 'Not modified (If-None-Match matched the ETag)' },
					...Object.fromEntries(Object.entries(PROBLEM_STATUSES).map(([status, text]) => [status, problem(text)]))
				}
			}
		};
	}
	built = {
		openapi: '3.1.0',
		info: {
			title: 'Kuvend read API',
			version: '1',
			description:
				'Decisions, meetings, votes, the forum, drafts, organisations, groups and fields of action of this network, as JSON. ' +
				'Without a token the API answers what a visitor may read; with `Authorization: Bearer <token>` (a personal token made at /settings/api) it answers what that member may read.'
		},
		jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
		servers: [{ url: API_BASE }],
		security: [{}, { bearer: [] }],
		paths,
		components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token' } } }
	};
	return built;
}
