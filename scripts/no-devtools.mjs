// Stands in for react-devtools-core, which Ink imports for its development mode only.
export default { initialize() {}, connectToDevTools() {} };
