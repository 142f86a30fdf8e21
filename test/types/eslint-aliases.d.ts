// ESLint 9.0 and 9.6 (the lowest versions the plugin supports for TypeScript and for Go) ship no
// type declarations; their Linter has the shape of ESLint 10's for what the tests use.
declare module "eslint9" {
  export { Linter } from "eslint";
}
declare module "eslint9-go" {
  export { Linter } from "eslint";
}
