/** Importing this module registers every built-in framework. One line per framework. */
export { getFramework, frameworkNames, registerFramework } from './registry.js'
