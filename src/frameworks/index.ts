/**
 * Every built-in framework, in one static table: the runner and the worker look frameworks up
 * here by the name a job carries. Adding a framework is one import and one entry.
 */
import { UsageError } from '../errors.js'
import { cargoFramework } from './cargo/cargo.js'
import { commandsFramework } from './commands/commands.js'
import type { Framework } from './core/framework.js'
import { goFramework } from './go/go.js'
import { jestFramework } from './jest/jest.js'
import { pytestFramework } from './pytest/pytest.js'
import { vitestFramework } from './vitest/vitest.js'

/** The built-in frameworks by name. */
export const frameworks: ReadonlyMap<string, Framework> = new Map(
  [
    commandsFramework,
    jestFramework,
    vitestFramework,
    pytestFramework,
    goFramework,
    cargoFramework
  ].map(framework => [framework.name, framework])
)

/** The known framework names, sorted. */
export function frameworkNames(): string[] {
  return [...frameworks.keys()].sort()
}

/** How a framework is found by name: `getFramework`, unless a caller (a test) brings its own. */
export type FrameworkLookup = (name: string) => Framework

/** The framework called `name`, or a UsageError naming the known ones. */
export function getFramework(name: string): Framework {
  const found = frameworks.get(name)
  if (!found) {
    throw new UsageError(
      `--framework: unknown framework '${name}'; expected one of: ${frameworkNames().join(', ')}`
    )
  }
  return found
}
