/** The Bedrock runtime actions that run a model. `InvokeModel` also authorizes Converse. */
export const INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
export const GET_INFERENCE_PROFILE = 'bedrock:GetInferenceProfile';
/** Takes no resource: only `Resource: "*"` grants it. */
export const LIST_INFERENCE_PROFILES = 'bedrock:ListInferenceProfiles';
/** Acts on foundation-model ARNs only, not on profiles. */
export const COUNT_TOKENS = 'bedrock:CountTokens';
export const APPLY_GUARDRAIL = 'bedrock:ApplyGuardrail';
/** Takes no resource; `bedrock:bearerTokenType` tells short-term from long-term keys. */
export const CALL_WITH_BEARER_TOKEN = 'bedrock:CallWithBearerToken';
export const MARKETPLACE_ACTIONS = ['aws-marketplace:Subscribe', 'aws-marketplace:ViewSubscriptions'];
/** The service principal Bedrock uses when it subscribes to a model on the caller's behalf. */
export const BEDROCK_SERVICE = 'bedrock.amazonaws.com';
