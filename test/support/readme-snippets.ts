import * as fs from 'fs';
import * as path from 'path';

/** The ```ts blocks of the README, in order: what a user copies. */
export function readmeSnippets(): string[] {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}
