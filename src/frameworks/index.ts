/** Importing this module registers every built-in framework. One line per framework. */
import './commands/commands.js'
import './jest/jest.js'
import './vitest/vitest.js'
import './pytest/pytest.js'
import './go/go.js'
import './cargo/cargo.js'

export { getFramework, frameworkNames, registerFramework } from './core/registry.js'
