import type { Command } from './types.js';

/** Every admin command; each lives in its own module beside this one. */
export const COMMANDS: Command[] = [];
