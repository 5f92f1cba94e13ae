import { backupCommand } from './backup.js';
import { checkCommand } from './check.js';
import { restoreCommand } from './restore.js';
import type { Command } from './types.js';

/** Every admin command; each lives in its own module beside this one. */
export const COMMANDS: Command[] = [backupCommand, restoreCommand, checkCommand];
