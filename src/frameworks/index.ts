/** Importing this module registers every built-in framework. One line per framework. */
import './commands.js'
import './jest.js'
import './vitest.js'
import './pytest.js'
import './go.js'
import './cargo.js'

export { getFramework, frameworkNames, registerFramework } from './registry.js'
