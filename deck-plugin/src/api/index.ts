export * from './CdaasApiContext';
export * from './CdaasReadClient';
export * from './readErrors';
export * from './useAgents';
export * from './CdaasApprovalsClient';
export * from './CdaasApprovalsContext';
