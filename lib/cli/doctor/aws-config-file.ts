import * as fs from 'fs';
import * as path from 'path';

/** The key-value pairs of each section of an AWS shared config or credentials file. */
export type IniSections = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * Reads an AWS shared config or credentials file. Config sections are `[default]` and
 * `[profile name]`; credentials sections are `[name]`. Both come back keyed by the bare profile name.
 * A missing or unreadable file is an empty one.
 */
export function readIniFile(file: string): IniSections {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s[#;].*$/, '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) {
      continue;
    }
    const header = /^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      // Sections such as [sso-session x] or [services x] are not profiles; keep them under their full name.
      const name = /^\[\s*(sso-session|services)\s/.test(line) ? line.slice(1, -1).trim() : header[1];
      current = sections[name] ??= {};
      continue;
    }
    const pair = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (pair && current) {
      current[pair[1].trim().toLowerCase()] = pair[2].trim();
    }
  }
  return sections;
}

/** Where the AWS CLI and SDKs look for the two files, honouring AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE. */
export function awsFilePaths(env: Readonly<Record<string, string | undefined>>, home: string): { config: string; credentials: string } {
  return {
    config: env.AWS_CONFIG_FILE ?? path.join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, '.aws', 'credentials'),
  };
}
