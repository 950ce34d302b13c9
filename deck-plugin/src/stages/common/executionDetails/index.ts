export { CdaasDeploymentDetails, CdaasDeploymentDetailsBody } from './CdaasDeploymentDetails';
export * from './deploymentView';
