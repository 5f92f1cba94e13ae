import { z } from 'zod';

// Zod compiles object parsers with `new Function` when it may, and probes whether it may by calling it: under
// Kuvend's CSP (script-src 'self', no 'unsafe-eval') the browser refuses and reports the probe as a violation.
// Jitless must be set before any schema is built, so src/hooks.ts (loaded first by the browser and by the server
// bundle) imports this module before anything else.
z.config({ jitless: true });
