import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Records why a cdk-nag finding is correct here, so users' cdk-nag runs stay clean with the reason
 * on record. Written as metadata under the bare rule id (`AwsSolutions-IAM5[Resource::*]`), which is
 * what cdk-nag matches; `Validations.acknowledge` rejects granular ids with a second `::`
 * (cdklabs/cdk-nag#2351).
 */
export function acknowledgeFinding(scope: IConstruct, id: string, reason: string): void {
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
}
