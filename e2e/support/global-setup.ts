import type { TestProject } from 'vitest/node';
import { startApp } from './app-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** One app for every browser test file; its address is handed to the tests. */
export default async function setup(project: TestProject) {
  const app = await startApp();
  project.provide('baseUrl', app.url);
  return () => app.stop();
}
