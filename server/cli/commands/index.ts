import { coordinatorAdd } from './coordinator.js';
import { passwordReset } from './password.js';
import type { Command } from './types.js';

/** Every admin command; each lives in its own module beside this one. */
export const COMMANDS: Command[] = [coordinatorAdd, passwordReset];
