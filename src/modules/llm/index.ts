export { LlmProviderError, type ChatCompletion, type ChatModel, type ChatRequest, type ChatTurn, type ChatUsage } from './chat-model.js';
export { createChatModel, verifyProviderKey, type ChatModelOptions } from './create-chat-model.js';
export { createProviderEndpoints, type ProviderEndpoint, type ProviderEndpoints } from './provider-endpoints.js';
