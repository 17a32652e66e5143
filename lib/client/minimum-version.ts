/**
 * The oldest Claude Code the generated configuration works with: 2.1.284 is the first whose sandbox
 * starts when Claude Code runs as root (it keeps CAP_SETFCAP for its seccomp helper's uid 0 mapping,
 * which Linux 5.12 and later require; 2.1.216 to 2.1.283 refuse every sandboxed command there, see
 * anthropics/claude-code#79606). It is after CLAUDE_CODE_SUBAGENT_MODEL_FORCE (2.1.257), the sandbox's
 * credential deny rules (2.1.187) and the denyRead fixes (2.1.224 trailing slash, 2.1.236 wildcards).
 * The contract tests run it.
 */
export const MINIMUM_CLAUDE_CODE_VERSION = '2.1.284';
