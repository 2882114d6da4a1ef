import { z } from 'zod';

// Imported first by main.tsx, before any schema can run: no compiled validators, since the page's
// Content Security Policy allows no eval and zod's probe for it would be reported as a violation.
z.config({ jitless: true });
