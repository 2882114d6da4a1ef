import type { TestApp } from './fixtures.ts';

/**
 * Every method + url the app registered, read from Fastify's route tree (buildApp is ready by the
 * time it returns, so an onRoute hook can no longer be added). Each line is checked with hasRoute.
 */
export function registeredRoutes(app: TestApp): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    if (!line.trim()) continue;
    const match = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line.trimEnd());
    if (!match) throw new Error(`cannot read the route tree line ${JSON.stringify(line)}`);
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const url = (stack[depth - 1] ?? '') + match[2]!;
    stack.push(url);
    for (const method of match[3]?.split(', ') ?? []) routes.push(`${method} ${url}`);
  }
  return routes;
}
