import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createDoctorClients } from '../../lib/cli/aws-clients';
import { LocalTools } from '../../lib/cli/doctor/local-tools';
import { main } from '../../lib/cli/main';

/** A temporary HOME and project directory, so no test reads the machine's own settings. */
export class Sandbox {
  public readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-blp-cli-'));
  public readonly home = path.join(this.root, 'home');
  public readonly project = path.join(this.root, 'project');
  public readonly managed = path.join(this.root, 'managed');
  /** What `claude --version` prints and which commands are on PATH; a current Claude Code with the sandbox's tools by default. */
  public tools: LocalTools = { claudeVersion: () => '2.1.332 (Claude Code)', onPath: (c) => ['bwrap', 'socat', 'aws'].includes(c) };
  /** Today, for end-of-life dates. */
  public today = new Date('2026-12-01T12:00:00Z');

  constructor() {
    fs.mkdirSync(this.home);
    fs.mkdirSync(this.project);
  }

  /** Writes ~/.claude/settings.json, .claude/settings.json, .claude/settings.local.json or managed-settings.json. */
  public settings(scope: 'user' | 'project' | 'local' | 'managed', content: unknown): string {
    const file = {
      user: path.join(this.home, '.claude', 'settings.json'),
      project: path.join(this.project, '.claude', 'settings.json'),
      local: path.join(this.project, '.claude', 'settings.local.json'),
      managed: path.join(this.managed, 'managed-settings.json'),
    }[scope];
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  }

  /** Writes ~/.aws/config as the AWS CLI would after `aws configure sso` or by hand. */
  public awsConfig(text: string): string {
    const file = path.join(this.home, '.aws', 'config');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }

  /** Runs the command as a developer would, with this sandbox as HOME and cwd. */
  public async run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await main(args, {
      env,
      cwd: this.project,
      home: this.home,
      managedDir: this.managed,
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      // Real SDK clients; aws-sdk-client-mock answers for them. Never touches process.env.
      doctorClients: (region, _env, adminProfile) => createDoctorClients(region, adminProfile),
      doctorTools: this.tools,
      now: () => this.today,
    });
    return { code, stdout, stderr };
  }

  public cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** The settings of a developer who followed the README: SSO profile, Region, pinned models. */
export const GOOD_ENV = {
  CLAUDE_CODE_USE_BEDROCK: '1',
  AWS_REGION: 'us-east-1',
  AWS_PROFILE: 'claude-code',
  ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-6',
  ANTHROPIC_DEFAULT_HAIKU_MODEL: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1',
};

/**
 * The isolation settings the generator writes (sandbox with credential stores denied, Read deny
 * rules): a machine where those are in place, for tests about other findings.
 */
export const ISOLATION_SETTINGS = {
  sandbox: {
    enabled: true,
    failIfUnavailable: true,
    filesystem: { denyRead: ['~/.aws', '~/.cache/cdk-bedrock-least-privilege'] },
    credentials: { files: [{ path: '~/.aws', mode: 'deny' }, { path: '~/.cache/cdk-bedrock-least-privilege', mode: 'deny' }] },
  },
  permissions: { deny: ['Read(~/.aws/**)', 'Read(~/.cache/cdk-bedrock-least-privilege/**)'] },
};

/** The ~/.aws/config of a developer who followed the README: an SSO profile for Claude Code, and an administrator's. */
export const GOOD_AWS_CONFIG = `[profile claude-code]
sso_session = example
sso_account_id = 111122223333
sso_role_name = ClaudeCodeBedrock
region = us-east-1

[profile platform-admin]
sso_session = example
sso_account_id = 111122223333
sso_role_name = AdministratorAccess

[sso-session example]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`;
