/** Bounds of the read API that its pages state (the server enforces them: api-tokens.service.ts, rate-limits.ts). */
export const MAX_TOKENS_PER_MEMBER = 10;
export const MAX_TOKEN_NAME = 80;
/** Requests a minute per token and per address (RULES.apiPerToken and apiPerAddress). */
export const API_REQUESTS_PER_MINUTE = 600;
