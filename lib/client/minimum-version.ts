/**
 * The oldest Claude Code the generated configuration works with: CLAUDE_CODE_SUBAGENT_MODEL_FORCE
 * (2.1.257) keeps subagents on the pinned model, and the sandbox's credential deny rules (2.1.187) and
 * the denyRead fixes (2.1.224 trailing slash, 2.1.236 wildcards) are older. The contract test runs it.
 */
export const MINIMUM_CLAUDE_CODE_VERSION = '2.1.257';
