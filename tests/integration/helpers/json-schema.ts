/**
 * A small JSON Schema (2020-12) validator for the keywords the API document uses (no ajv in this project): enough to
 * check real responses against the served OpenAPI document rather than against the code that produced them.
 * Unknown keywords fail loudly, so a schema it cannot judge is never passed silently.
 */
type Json = Record<string, unknown>;

const KNOWN = new Set([
	'$ref', 'anyOf', 'oneOf', 'allOf', 'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'propertyNames',
	'items', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'format',
	'description', 'default', 'title', 'examples', 'minItems', 'maxItems'
]);

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
const isType = (v: unknown, t: string) => typeOf(v) === t || (t === 'number' && typeOf(v) === 'integer');

export function validate(value: unknown, schema: Json, components: Record<string, Json>, path = '$'): string[] {
	for (const k of Object.keys(schema)) if (!KNOWN.has(k)) return [`${path}: the validator does not know the keyword ${k}`];
	if (typeof schema.$ref === 'string') {
		const target = components[schema.$ref.replace('#/components/schemas/', '')];
		return target ? validate(value, target, components, path) : [`${path}: unresolved ${schema.$ref}`];
	}
	const errors: string[] = [];
	const fail = (msg: string) => errors.push(`${path}: ${msg}`);
	if (Array.isArray(schema.anyOf) && !(schema.anyOf as Json[]).some((s) => validate(value, s, components, path).length === 0)) fail('matches none of anyOf');
	if (Array.isArray(schema.oneOf) && (schema.oneOf as Json[]).filter((s) => validate(value, s, components, path).length === 0).length !== 1) fail('does not match exactly one of oneOf');
	if (Array.isArray(schema.allOf)) for (const s of schema.allOf as Json[]) errors.push(...validate(value, s, components, path));
	if (schema.type !== undefined) {
		const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
		if (!types.some((t) => isType(value, t))) return [...errors, `${path}: ${typeOf(value)} is not ${types.join('|')}`];
	}
	if (Array.isArray(schema.enum) && !schema.enum.includes(value)) fail(`${JSON.stringify(value)} not in enum`);
	if ('const' in schema && schema.const !== value) fail(`not the constant ${JSON.stringify(schema.const)}`);
	if (typeof value === 'number') {
		if (typeof schema.minimum === 'number' && value < schema.minimum) fail(`below ${schema.minimum}`);
		if (typeof schema.maximum === 'number' && value > schema.maximum) fail(`above ${schema.maximum}`);
		if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) fail(`not above ${schema.exclusiveMinimum}`);
		if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) fail(`not below ${schema.exclusiveMaximum}`);
	}
	if (typeof value === 'string') {
		if (typeof schema.minLength === 'number' && value.length < schema.minLength) fail('too short');
		if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) fail('too long');
		if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) fail(`does not match ${schema.pattern}`);
		if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) fail('not a date-time');
	}
	if (Array.isArray(value)) {
		if (typeof schema.minItems === 'number' && value.length < schema.minItems) fail('too few items');
		if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) fail('too many items');
		if (schema.items) value.forEach((item, i) => errors.push(...validate(item, schema.items as Json, components, `${path}[${i}]`)));
	}
	if (typeOf(value) === 'object') {
		const obj = value as Json;
		const props = (schema.properties ?? {}) as Record<string, Json>;
		for (const name of (schema.required ?? []) as string[]) if (!(name in obj)) fail(`missing ${name}`);
		for (const [name, v] of Object.entries(obj)) {
			if (props[name]) errors.push(...validate(v, props[name], components, `${path}.${name}`));
			else if (schema.additionalProperties === false) fail(`unexpected property ${name}`);
			else if (typeof schema.additionalProperties === 'object') errors.push(...validate(v, schema.additionalProperties as Json, components, `${path}.${name}`));
			if (schema.propertyNames) errors.push(...validate(name, schema.propertyNames as Json, components, `${path}{${name}}`));
		}
	}
	return errors;
}
