import { BedrockInvokeRole } from '../access/bedrock-invoke-role';
import { BedrockPermissionSet } from '../access/bedrock-permission-set';

/** Which identities detection watches, and which of their non-Bedrock calls are expected. */
export interface WatchScopeProps {
  /**
   * Invoke roles to watch, matched by exact role name.
   *
   * @default - none
   */
  readonly roles?: BedrockInvokeRole[];

  /**
   * Permission sets to watch, matched by the names of the roles they create in each account.
   *
   * @default - none
   */
  readonly permissionSets?: BedrockPermissionSet[];

  /**
   * Further roles to watch by exact name, such as roles made outside this app.
   *
   * @default - none
   */
  readonly roleNames?: string[];

  /**
   * Further permission sets to watch by name.
   *
   * @default - none
   */
  readonly permissionSetNames?: string[];

  /**
   * Event sources whose calls are expected, besides the Bedrock calls the identity may make
   * (`InvokeModel`, `Converse`, `CountTokens`, ...), such as `sts.amazonaws.com` if you accept
   * `GetCallerIdentity` from these sessions.
   *
   * @default - none: every non-Bedrock call alerts
   */
  readonly allowedEventSources?: string[];

  /**
   * Event names whose calls are expected from any source, such as `GetCallerIdentity`.
   *
   * @default - none
   */
  readonly allowedEventNames?: string[];
}
