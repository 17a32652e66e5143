import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** What the doctor asks of this machine besides files; tests pass their own. */
export interface LocalTools {
  /** What `claude --version` prints, or undefined when it cannot be run. */
  readonly claudeVersion: () => string | undefined;
  /** True when an executable of that name is on PATH. */
  readonly onPath: (command: string) => boolean;
}

/** The real machine: runs `claude --version` (no shell, short timeout) and searches PATH. */
export function realLocalTools(env: Readonly<Record<string, string | undefined>>): LocalTools {
  return {
    claudeVersion: () => {
      const out = spawnSync('claude', ['--version'], { encoding: 'utf8', timeout: 10_000, env: { PATH: env.PATH ?? '', HOME: env.HOME ?? '' } });
      return out.status === 0 ? out.stdout.trim() : undefined;
    },
    onPath: (command) => (env.PATH ?? '').split(path.delimiter).filter((d) => d !== '').some((dir) => {
      try {
        fs.accessSync(path.join(dir, command), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
  };
}
