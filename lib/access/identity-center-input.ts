import { Duration, Token } from 'aws-cdk-lib';

const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;
const INSTANCE_ARN = /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
const PRINCIPAL_ID = /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;
const ACCOUNT_ID = /^\d{12}$/;

export function checkPermissionSetName(name: string): void {
  if (!Token.isUnresolved(name) && !PERMISSION_SET_NAME.test(name)) {
    throw new Error(`permission set name '${name}' is not valid: use 1 to 32 letters, digits or _+=,.@- (it becomes part of the role name AWSReservedSSO_<name>_...)`);
  }
}

export function checkInstanceArn(arn: string): void {
  if (!Token.isUnresolved(arn) && !INSTANCE_ARN.test(arn)) {
    throw new Error(`'${arn}' is not an IAM Identity Center instance ARN: expected arn:aws:sso:::instance/ssoins-<16 characters> (see 'aws sso-admin list-instances')`);
  }
}

export function checkPrincipalId(id: string, kind: string): void {
  if (!Token.isUnresolved(id) && !PRINCIPAL_ID.test(id)) {
    throw new Error(`${kind} id '${id}' is not an Identity Store id: expected a UUID such as 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567' or 'f6a7b8c9-0123-4567-89ab-cdef01234567' (see 'aws identitystore list-${kind}s')`);
  }
}

export function checkAccountId(id: string): void {
  if (!Token.isUnresolved(id) && !ACCOUNT_ID.test(id)) {
    throw new Error(`account id '${id}' is not valid: use the 12-digit AWS account id, such as '111122223333'`);
  }
}

export function checkPermissionSetSession(d: Duration): void {
  const seconds = d.toSeconds();
  if (seconds < 3600 || seconds > 43200) {
    throw new Error(`sessionDuration is ${d.toHumanString()}: IAM Identity Center allows 1 to 12 hours; keep it short, such as Duration.hours(1)`);
  }
}

export function checkRelayState(relayState: string | undefined): void {
  if (relayState !== undefined && !Token.isUnresolved(relayState) && !/^[a-zA-Z0-9&$@#\\/%?=~\-_'"|!:,.;*+[\]() {}]{1,240}$/.test(relayState)) {
    throw new Error(`relayState '${relayState}' is not valid: use a URL of 1 to 240 characters, such as 'https://console.aws.amazon.com/bedrock/home'`);
  }
}

export function checkDescription(description: string): void {
  if (!Token.isUnresolved(description) && !/^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]{1,700}$/.test(description)) {
    throw new Error(`permission set description is not valid: use 1 to 700 printable Latin-1 characters (got ${description.length})`);
  }
}
