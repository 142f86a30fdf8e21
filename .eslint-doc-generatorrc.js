// Generates the README rules list and the header of each rule doc from the rules' metadata.
// `npm run docs` writes them; `npm test` checks they are current.
/** @type {import('eslint-doc-generator').GenerateOptions} */
export default {
  ignoreConfig: ["all"],
  ruleDocTitleFormat: "prefix-name",
  ruleListColumns: ["name", "description", "configsError", "hasSuggestions", "fixable", "options"],
  urlRuleDoc: "docs/rules/{name}.md",
};
