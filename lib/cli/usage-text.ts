import { CONTAINMENT_USAGE } from './containment/containment-args';

/** The commands that have a help page of their own. */
export type HelpTopic = 'doctor' | 'configure' | 'containment' | 'catalog-refresh';

const NAME = 'cdk-bedrock-least-privilege';

/** What `--help` prints with no command: the user's commands; the maintainer's one is only pointed at. */
export const USAGE = `Usage: ${NAME} <command> [options]

Commands:
  configure   Writes Claude Code's settings and the AWS profile from a deployed stack's outputs.
  doctor      Audits this machine the way Claude Code sees it, and says how to fix what it finds.
  containment Lists or lifts the containment of an invoke role or a permission set (for operators).

Options:
  -h, --help  Show this help, or a command's help: ${NAME} <command> --help
  --version   Print the version of ${NAME}

Start with: ${NAME} configure --stack <stack name> --region <Region>, then ${NAME} doctor.
(Maintainers of this library: ${NAME} catalog refresh --help.)
`;

export const DOCTOR_USAGE = `Usage: ${NAME} doctor [options]

Audits this machine the way Claude Code sees it: the settings files in force (user, project, local,
managed), the environment, the Claude Code version, whether its sandbox can run here, which AWS
credentials a command Claude Code runs could read or use, the model ids against the Region, and the
identity Claude Code signs Bedrock calls with. Each finding comes with its fix.

It stays quiet for leak detection: as Claude Code's identity it calls only Bedrock's
ListInferenceProfiles and GetInferenceProfile (the calls Claude Code makes itself); anything else it
asks IAM only with --admin-profile.

Options:
  --json                   Print the report as JSON instead of text. Default: text.
  --project <dir>          The project folder whose .claude/settings.json and settings.local.json
                           apply. Default: the current folder.
  --offline                Make no AWS call at all; the AWS checks then report "unknown". Default: off.
  --admin-profile <name>   A profile from ~/.aws/config that may call iam:ListRoles and
                           iam:SimulatePrincipalPolicy, to ask IAM what else Claude Code's identity may
                           do. Never the profile Claude Code uses. Default: none (that check is skipped).
  --principal-arn <arn>    The IAM role or user ARN to simulate, when the doctor cannot tell it from the
                           configuration. Default: read from the configuration.
  -h, --help               Show this help.

Exit code: 0 fine or only low findings, 1 medium, 2 high, 3 critical, 4 the doctor could not run.
`;

export const CONFIGURE_USAGE = `Usage: ${NAME} configure --stack <name> [options]

Reads the Claude Code outputs of a deployed stack (CloudFormation DescribeStacks) and merges them
into ~/.claude/settings.json and ~/.aws/config, keeping every other setting and profile. Shows the
changes first and writes after you confirm, or at once with --yes. Never replaces a profile it did
not write.

Options:
  --stack <name>           The stack that holds ClaudeCodeBedrockAccess. Required.
  --region <Region>        The stack's Region. Default: AWS_REGION, then AWS_DEFAULT_REGION.
  --profile <name>         The profile whose credentials read the stack (DescribeStacks). Default:
                           the AWS SDK's default credentials.
  --account <id>           The 12-digit account the stack must be in; a stack elsewhere is refused
                           and nothing is written. Required with --yes. Default: shown, and you confirm.
  --access <mode>          role or identity-center: which access to write settings for. Default: the
                           only one the stack offers; a stack that offers both needs this option.
  --source-profile <name>  For role access: the profile whose credentials assume the invoke role.
                           Default: the one the stack names (its roleSourceProfile, 'default' unless set).
  --construct <id>         For a stack that holds several ClaudeCodeBedrockAccess constructs: the
                           construct id (the id passed to new ClaudeCodeBedrockAccess(this, '<id>', ...))
                           whose outputs to use; its outputs are named after it. Default: the only one.
  --subprocess-credentials <choice>
                           none or inherit. none writes the isolated settings even when the stack opts
                           out (SubprocessCredentials.INHERIT); inherit accepts the stack's opt-out, and
                           --yes needs it to write one. Default: the stack's choice, which you confirm.
  --yes                    Write without asking. Default: ask, and write nothing when there is no
                           terminal to ask at.
  -h, --help               Show this help.
`;

export const CATALOG_REFRESH_USAGE = `Usage: ${NAME} catalog refresh [options]

MAINTAINER COMMAND, for people working on this library: you do not need it to use the library.
Asks Bedrock in each Region for its Claude inference profiles (ListInferenceProfiles,
GetInferenceProfile) and rewrites the catalog file in a stable order. Run it from a clone of the
repository: pointed at an installed package, it would rewrite a file inside node_modules. Users who need
a model or a route the catalog lacks pass it on ModelReference instead (routes, sourceRegions).

Options:
  --regions <r1,r2,...>    The Regions to ask. Default: every commercial Region.
  --file <catalog.json>    The catalog file to rewrite. Default: lib/models/catalog.json under the
                           current folder.
  --check                  Write nothing; exit 1 when the file differs from what Bedrock says.
                           Default: off.
  -h, --help               Show this help.
`;

export const CONTAINMENT_HELP = `Usage: ${NAME} containment <list|lift> [options]

${CONTAINMENT_USAGE}`;

/** The help page for a command, or the general one. */
export function usageFor(topic?: HelpTopic): string {
  switch (topic) {
    case 'doctor':
      return DOCTOR_USAGE;
    case 'configure':
      return CONFIGURE_USAGE;
    case 'containment':
      return CONTAINMENT_HELP;
    case 'catalog-refresh':
      return CATALOG_REFRESH_USAGE;
    default:
      return USAGE;
  }
}
