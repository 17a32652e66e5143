export { BedrockInvokeRole, BedrockInvokeRoleProps } from './bedrock-invoke-role';
