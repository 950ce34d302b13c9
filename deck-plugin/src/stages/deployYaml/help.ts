// STUB (owner: deploy.yml helper).
export const deployYamlHelp: Record<string, string> = {};
