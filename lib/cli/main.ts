import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { createBedrockClient, createCloudFormationClient, createDoctorClients, DoctorClientFactory } from './aws-clients';
import { COMMERCIAL_REGIONS } from './catalog-refresh/commercial-regions';
import { runRefresh } from './catalog-refresh/run-refresh';
import { parseArgs } from './cli-args';
import { runConfigure } from './configure/run-configure';
import { createContainmentClients } from './containment/containment-clients';
import { ContainmentClients, runContainment } from './containment/run-containment';
import { LocalTools } from './doctor/local-tools';
import { renderDoctorJson, renderDoctorText } from './doctor/render-doctor';
import { runDoctor } from './doctor/run-doctor';
import { EXIT_COMMAND_FAILED } from './findings';
import { packageVersion } from './package-version';
import { Redactor, secretValues } from './redact';
import { UsageError } from './usage-error';
import { usageFor } from './usage-text';

/** What the command reads from and writes to; tests pass their own. */
export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly home: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly doctorClients?: DoctorClientFactory;
  /** `claude --version` and PATH lookups for the doctor; default: this machine's. */
  readonly doctorTools?: LocalTools;
  /** Today, for the doctor's end-of-life dates; default: the clock. */
  readonly now?: () => Date;
  readonly managedDir?: string;
  readonly bedrockClientFor?: typeof createBedrockClient;
  readonly cloudFormationFor?: (region: string, profile?: string) => CloudFormationClient;
  /** The version `--version` prints; default: the installed package's. */
  readonly version?: string;
  readonly containmentClients?: ContainmentClients;
  /** Asks the person at the terminal; absent when stdin is not a terminal. */
  readonly confirm?: (question: string) => Promise<boolean>;
}

/** Runs one command and returns its exit code. Prints no stack trace, whatever happens. */
export async function main(argv: readonly string[], context: CliContext): Promise<number> {
  const redactor = new Redactor(secretValues(context.env));
  try {
    const command = parseArgs(argv);
    switch (command.name) {
      case 'help':
        context.stdout(usageFor(command.topic));
        return 0;
      case 'version':
        context.stdout(`${context.version ?? packageVersion()}\n`);
        return 0;
      case 'doctor': {
        const { report, redactor: reportRedactor } = await runDoctor({
          home: context.home,
          projectDir: path.resolve(context.cwd, command.projectDir ?? '.'),
          env: context.env,
          managedDir: context.managedDir,
          offline: command.offline,
          principalArn: command.principalArn,
          adminProfile: command.adminProfile,
          clientFactory: context.doctorClients ?? realDoctorClients,
          tools: context.doctorTools,
          now: context.now,
        });
        context.stdout(command.json ? renderDoctorJson(report, reportRedactor) : renderDoctorText(report, reportRedactor));
        return report.exitCode;
      }
      case 'configure': {
        const region = command.region ?? context.env.AWS_REGION ?? context.env.AWS_DEFAULT_REGION;
        if (!region) {
          throw new UsageError('configure needs the stack\'s Region: pass --region, or set AWS_REGION');
        }
        return await runConfigure({
          stackName: command.stack,
          region,
          access: command.access,
          sourceProfile: command.sourceProfile,
          construct: command.construct,
          account: command.account,
          subprocessCredentials: command.subprocessCredentials,
          yes: command.yes,
          home: context.home,
          env: context.env,
          cloudFormation: (context.cloudFormationFor ?? createCloudFormationClient)(region, command.profile),
          confirm: context.confirm,
          stdout: (t) => context.stdout(redactor.text(t)),
          stderr: (t) => context.stderr(redactor.text(t)),
        });
      }
      case 'catalog-refresh': {
        const result = await runRefresh({
          file: path.resolve(context.cwd, command.file ?? path.join('lib', 'models', 'catalog.json')),
          regions: command.regions ?? COMMERCIAL_REGIONS,
          clientFor: context.bedrockClientFor ?? createBedrockClient,
          check: command.check,
        });
        context.stdout(redactor.text(result.output));
        return result.exitCode;
      }
      case 'containment':
        return await runContainment(command, context.containmentClients ?? createContainmentClients(command, context.env),
          (t) => context.stdout(redactor.text(t)));
    }
  } catch (e) {
    if (e instanceof UsageError) {
      context.stderr(redactor.text(`cdk-bedrock-least-privilege: ${e.message}\n\n${usageFor(helpTopicOf(argv))}`));
    } else {
      const message = e instanceof Error ? e.message : String(e);
      context.stderr(redactor.text(`cdk-bedrock-least-privilege: unexpected error: ${message}\nPlease report it with the command you ran.\n`));
    }
    return EXIT_COMMAND_FAILED;
  }
}

/** The command a failed line was for, so its error comes with that command's help. */
function helpTopicOf(argv: readonly string[]) {
  const [first, second] = argv;
  if (first === 'doctor' || first === 'configure' || first === 'containment') {
    return first;
  }
  return first === 'catalog' && second === 'refresh' ? 'catalog-refresh' as const : undefined;
}

// Claude Code applies the settings' env to its own process; doing the same lets the SDK's
// credential chain find exactly the credentials Claude Code's would (AWS_PROFILE, keys, Region).
const realDoctorClients: DoctorClientFactory = (region, env, adminProfile) => {
  Object.assign(process.env, env);
  return createDoctorClients(region, adminProfile);
};

function askYesNo(question: string): Promise<boolean> {
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
  return new Promise((resolve) => prompt.question(question, (answer) => {
    prompt.close();
    resolve(/^y(es)?$/i.test(answer.trim()));
  }));
}

if (require.main === module) {
  // The SDK's notice about future Node.js versions is for SDK users, not for someone checking their machine.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    home: os.homedir(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    confirm: process.stdin.isTTY ? askYesNo : undefined,
  }).then((code) => {
    process.exitCode = code;
  }, () => {
    process.exitCode = EXIT_COMMAND_FAILED;
  });
}
