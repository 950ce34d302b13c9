// STUB (owner: Deploy stage helper).
export const deployHelp: Record<string, string> = {};
