/** The parts of a configuration recorder that say what it records. */
export interface RecorderDescription {
  readonly name?: string;
  readonly recordingGroup?: {
    readonly allSupported?: boolean;
    readonly includeGlobalResourceTypes?: boolean;
    readonly resourceTypes?: string[];
    readonly exclusionByResourceTypes?: { readonly resourceTypes?: string[] };
    readonly recordingStrategy?: { readonly useOnly?: string };
  };
}

export interface RecorderStatus {
  readonly name?: string;
  readonly recording?: boolean;
}

/**
 * Why no recorder here records IAM roles, for the person reading the Lambda's error, or undefined
 * when one does. Default recorders leave the global IAM types out.
 */
export function recorderProblem(recorders: readonly RecorderDescription[], statuses: readonly RecorderStatus[]): string | undefined {
  if (recorders.length === 0) {
    return 'this Region has no AWS Config recorder: deploy BedrockDriftRule with recorder: ConfigRecorder.create(), or set one up that records AWS::IAM::Role';
  }
  const recording = recorders.filter((r) => recordsRoles(r));
  if (recording.length === 0) {
    return `recorder ${recorders.map((r) => r.name).join(', ')} does not record AWS::IAM::Role: add it to the recording group (IAM is global, so record it in one Region only, this one)`;
  }
  const running = recording.filter((r) => statuses.find((s) => s.name === r.name)?.recording !== false);
  if (running.length === 0) {
    return `recorder ${recording.map((r) => r.name).join(', ')} records AWS::IAM::Role but is stopped: start it with aws configservice start-configuration-recorder`;
  }
  return undefined;
}

function recordsRoles(r: RecorderDescription): boolean {
  const g = r.recordingGroup;
  if (!g) {
    return false;
  }
  const strategy = g.recordingStrategy?.useOnly;
  if (strategy === 'EXCLUSION_BY_RESOURCE_TYPES') {
    return !(g.exclusionByResourceTypes?.resourceTypes ?? []).includes('AWS::IAM::Role');
  }
  if (g.allSupported) {
    return g.includeGlobalResourceTypes === true;
  }
  return (g.resourceTypes ?? []).includes('AWS::IAM::Role');
}
