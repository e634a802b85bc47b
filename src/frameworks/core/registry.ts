/** Every framework the runner and worker know, by name. */
import { UsageError } from '../../errors.js'
import type { Framework } from './framework.js'

const frameworks = new Map<string, Framework>()

/** Adds a framework; called once per framework module below. */
export function registerFramework(framework: Framework): void {
  frameworks.set(framework.name, framework)
}

export function frameworkNames(): string[] {
  return [...frameworks.keys()].sort()
}

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
