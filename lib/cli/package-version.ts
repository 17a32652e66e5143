import * as fs from 'fs';
import * as path from 'path';

const PACKAGE_NAME = 'cdk-bedrock-least-privilege';

/**
 * The version in this package's package.json, found by walking up from this file: the bundled
 * command lives in assets/lib/cli/main/, the sources in lib/cli/, and both sit under the package root.
 */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') {
        return pkg.version;
      }
    } catch {
      // No package.json here, or not ours: keep walking up.
    }
    if (path.dirname(dir) === dir) {
      return 'unknown';
    }
  }
}
