/** A problem with what the user asked for, shown as one line without a stack trace. */
export class UsageError extends Error {}
