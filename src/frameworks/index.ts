/** Importing this module registers every built-in framework. One line per framework. */
import './commands.js'
import './jest.js'
import './vitest.js'

export { getFramework, frameworkNames, registerFramework } from './registry.js'
