// Deck matches a section by its static title (the tab name in the execution details). Deck shows it
// through robotToHuman, which leaves only titles with a space alone: 'CD-as-a-Service' became
// 'CDAs A- Service'. Its own module so index.js names the tab without loading the section's code.
export const DEPLOYMENT_DETAILS_TITLE = 'CD-as-a-Service deployment';
